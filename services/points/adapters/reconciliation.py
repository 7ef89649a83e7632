"""Everything reconciliation compares, read from MongoDB in three passes."""

from __future__ import annotations

from collections.abc import AsyncIterator

from libs.mongo import Database
from services.points.adapters.documents import member_key
from services.points.adapters.repositories import ENTRIES, REDEMPTIONS, WALLETS
from services.points.adapters.wallet_documents import wallet_from_doc
from services.points.domain.reconciliation import Drift, check_wallet
from services.points.domain.redemptions import RedemptionStatus


async def _sums(db: Database, collection: str, match: dict[str, object]) -> dict[str, int]:
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


async def drifting_wallets(db: Database) -> AsyncIterator[Drift]:
    """Each wallet that disagrees with its ledger, its open holds or itself. Members with
    entries but no wallet drift too."""
    ledger = await _sums(db, ENTRIES, {})
    holds = await _sums(db, REDEMPTIONS, {"status": RedemptionStatus.HELD.value})
    seen: set[str] = set()
    async for doc in db[WALLETS].find({}):
        key = doc["_id"]
        seen.add(key)
        drift = check_wallet(
            wallet_from_doc(doc),
            ledger_sum=ledger.get(key, 0),
            open_holds=holds.get(key, 0),
            stored_available=doc["available"],
        )
        if drift is not None:
            yield drift
    for key in sorted(set(ledger) - seen):
        tenant_id, _, member_id = key.partition(":")
        yield Drift(tenant_id, member_id, (f"ledger {ledger[key]} without a wallet",))
