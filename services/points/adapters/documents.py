"""Wallets, lots and ledger entries as MongoDB documents, and back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from libs.mongo import Doc
from services.points.domain.balances import Balance, ExpiringPoints
from services.points.domain.ledger import Entry, EntryType, Posting
from services.points.domain.lots import Lot, LotTake, PendingLot
from services.points.domain.wallet import Wallet


def member_key(tenant_id: str, member_id: str) -> str:
    return f"{tenant_id}:{member_id}"


def lot_to_doc(lot: Lot | LotTake) -> Doc:
    doc: Doc = {
        "lot_id": lot.lot_id,
        "order_id": lot.order_id,
        "earned": lot.earned,
        "earned_at": lot.earned_at,
        "expires_at": lot.expires_at,
    }
    if isinstance(lot, Lot):
        doc["remaining"] = lot.remaining
    else:
        doc["points"] = lot.points
    return doc


def lot_from_doc(doc: Doc) -> Lot:
    return Lot(
        doc["lot_id"],
        doc["order_id"],
        doc["earned"],
        doc["remaining"],
        doc["earned_at"],
        doc["expires_at"],
    )


def take_from_doc(doc: Doc) -> LotTake:
    return LotTake(
        doc["lot_id"],
        doc["order_id"],
        doc["earned"],
        doc["earned_at"],
        doc["expires_at"],
        doc["points"],
    )


def posting_to_doc(p: Posting) -> Doc:
    return {
        "type": p.type.value,
        "points": p.points,
        "reason": p.reason,
        "order_id": p.order_id,
        "return_id": p.return_id,
        "campaign_id": p.campaign_id,
        "campaign_version": p.campaign_version,
    }


def posting_from_doc(doc: Doc) -> Posting:
    return Posting(
        EntryType(doc["type"]),
        doc["points"],
        doc["reason"],
        order_id=doc["order_id"],
        return_id=doc["return_id"],
        campaign_id=doc["campaign_id"],
        campaign_version=doc["campaign_version"],
    )


def pending_to_doc(pending: PendingLot) -> Doc:
    return {
        **lot_to_doc(pending.lot),
        "release_at": pending.release_at,
        "postings": [posting_to_doc(p) for p in pending.postings],
    }


def pending_from_doc(doc: Doc) -> PendingLot:
    postings = [posting_from_doc(p) for p in doc["postings"]]
    return PendingLot(lot_from_doc(doc), doc["release_at"], postings)


def wallet_to_doc(wallet: Wallet) -> Doc:
    """`available` is stored for operators and reconciliation; it is recomputed on read."""
    return {
        "_id": member_key(wallet.tenant_id, wallet.member_id),
        "tenant_id": wallet.tenant_id,
        "member_id": wallet.member_id,
        "available": wallet.available,
        "held": wallet.held,
        "debt": wallet.debt,
        "lifetime_earned": wallet.lifetime_earned,
        "lots": [lot_to_doc(lot) for lot in wallet.lots],
        "pending": wallet.pending,
        "pending_lots": [pending_to_doc(p) for p in wallet.pending_lots],
        "next_seq": wallet.next_seq,
        "transfers": {"day": wallet.transfers_day, "points": wallet.transferred_that_day},
        "version": wallet.version,
        "updated_at": datetime.now(UTC),
    }


def wallet_from_doc(doc: Doc) -> Wallet:
    return Wallet(
        tenant_id=doc["tenant_id"],
        member_id=doc["member_id"],
        held=doc["held"],
        debt=doc["debt"],
        lifetime_earned=doc["lifetime_earned"],
        lots=[lot_from_doc(lot) for lot in doc["lots"]],
        pending_lots=[pending_from_doc(p) for p in doc.get("pending_lots", [])],
        next_seq=doc["next_seq"],
        transfers_day=doc.get("transfers", {}).get("day", ""),
        transferred_that_day=doc.get("transfers", {}).get("points", 0),
        version=doc["version"],
    )


def entry_to_doc(wallet: Wallet, entry: Entry) -> Doc:
    return {
        "_id": entry.entry_id,
        "tenant_id": wallet.tenant_id,
        "member_id": wallet.member_id,
        "seq": entry.seq,
        "type": entry.type.value,
        "points": entry.points,
        "reason": entry.reason,
        "created_at": entry.created_at,
        "order_id": entry.order_id,
        "return_id": entry.return_id,
        "redemption_id": entry.redemption_id,
        "campaign_id": entry.campaign_id,
        "campaign_version": entry.campaign_version,
        "adjustment_id": entry.adjustment_id,
        "transfer_id": entry.transfer_id,
    }


def entry_from_doc(doc: Doc) -> Entry:
    return Entry(
        entry_id=doc["_id"],
        seq=doc["seq"],
        type=EntryType(doc["type"]),
        points=doc["points"],
        reason=doc["reason"],
        created_at=doc["created_at"],
        order_id=doc["order_id"],
        return_id=doc["return_id"],
        redemption_id=doc["redemption_id"],
        campaign_id=doc["campaign_id"],
        campaign_version=doc["campaign_version"],
        adjustment_id=doc.get("adjustment_id", ""),
        transfer_id=doc.get("transfer_id", ""),
    )


def balance_to_doc(balance: Balance) -> Doc:
    return {
        "available": balance.available,
        "held": balance.held,
        "pending": balance.pending,
        "lifetime_earned": balance.lifetime_earned,
        "expiring": [{"points": e.points, "expires_at": e.expires_at} for e in balance.expiring],
    }


def balance_from_doc(doc: dict[str, Any]) -> Balance:
    return Balance(
        available=doc["available"],
        held=doc["held"],
        pending=doc["pending"],
        lifetime_earned=doc["lifetime_earned"],
        expiring=tuple(ExpiringPoints(e["points"], e["expires_at"]) for e in doc["expiring"]),
    )
