"""Everything reconciliation compares, read from MongoDB: wallets, ledger sums, open holds
and what names each lot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from libs.mongo import Database, Doc
from services.points.adapters.documents.ledger import member_key
from services.points.adapters.documents.wallets import wallet_from_doc
from services.points.adapters.lot_sums import NamedLot, named_lots
from services.points.adapters.repositories import ENTRIES, REDEMPTIONS, WALLETS
from services.points.domain.reconciliation import Drift, check_wallet, stray_lot
from services.points.domain.redemptions import RedemptionStatus


async def _sums(db: Database, collection: str, match: Doc) -> dict[str, int]:
    pipeline: list[dict[str, object]] = [
        {"$match": match},
        {
            "$group": {
                "_id": {"tenant_id": "$tenant_id", "member_id": "$member_id"},
                "points": {"$sum": "$points"},
            }
        },
    ]
    cursor = await db[collection].aggregate(pipeline)
    return {
        member_key(row["_id"]["tenant_id"], row["_id"]["member_id"]): row["points"]
        async for row in cursor
    }


async def drifting_wallets(db: Database, tenant_id: str | None = None) -> AsyncIterator[Drift]:
    """Each wallet (of `tenant_id`, or of every tenant) that disagrees with its ledger, its
    open holds, itself, or, lot by lot, with the entries and redemptions that name its
    lots. Members with entries but no wallet drift too, and so do lots in no wallet that
    their entries say still hold points.

    The reads are one after another, not one snapshot: a member whose change committed
    between them (a hold the sweep expired after its wallet was read, say) looks drifting
    for that pass. So a member is reported only when a second pass, run when the first
    found any, finds it drifting too, with what the second found; a real drift stays."""
    suspects = {(d.tenant_id, d.member_id) async for d in _drifting_once(db, tenant_id)}
    if not suspects:
        return
    async for drift in _drifting_once(db, tenant_id):
        if (drift.tenant_id, drift.member_id) in suspects:
            yield drift


async def _drifting_once(db: Database, tenant_id: str | None) -> AsyncIterator[Drift]:
    tenant: Doc = {"tenant_id": tenant_id} if tenant_id else {}
    ledger = await _sums(db, ENTRIES, tenant)
    holds = await _sums(db, REDEMPTIONS, {**tenant, "status": RedemptionStatus.HELD.value})
    lots = await named_lots(db, tenant)
    seen: set[str] = set()
    async for doc in db[WALLETS].find(tenant):
        key = doc["_id"]
        seen.add(key)
        wallet = wallet_from_doc(doc)
        mine = {
            lot.lot_id: lots.pop((wallet.tenant_id, lot.lot_id), NamedLot()).points
            for lot in wallet.lots
        }
        drift = check_wallet(
            wallet,
            ledger_sum=ledger.get(key, 0),
            open_holds=holds.get(key, 0),
            stored_available=doc["available"],
            named_lots=mine,
        )
        if drift is not None:
            yield drift
    for key in sorted(set(ledger) - seen):
        tenant_of, _, member_id = key.partition(":")
        yield Drift(tenant_of, member_id, (f"ledger {ledger[key]} without a wallet",))
    for (tenant_of, lot_id), named in sorted(lots.items()):
        if named.points:
            for member_id in sorted(named.members):
                yield Drift(tenant_of, member_id, (stray_lot(lot_id, named.points),))


@dataclass
class WalletTotals:
    """What a tenant's wallets hold in all: the figures the analytics liability must equal."""

    available: int = 0
    held: int = 0
    pending: int = 0
    wallets: int = 0


async def wallet_totals(db: Database, tenant_id: str | None = None) -> dict[str, WalletTotals]:
    """Each tenant's wallets summed (of `tenant_id`, or of every tenant)."""
    totals: dict[str, WalletTotals] = {}
    async for doc in db[WALLETS].find({"tenant_id": tenant_id} if tenant_id else {}):
        wallet = wallet_from_doc(doc)
        found = totals.setdefault(wallet.tenant_id, WalletTotals())
        found.available += wallet.available
        found.held += wallet.held
        found.pending += wallet.pending
        found.wallets += 1
    return totals


class MongoReconciler:
    """Reconciliation for the operators' endpoint: one tenant at a time."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def drifting(self, tenant_id: str) -> list[Drift]:
        return [drift async for drift in drifting_wallets(self._db, tenant_id)]
