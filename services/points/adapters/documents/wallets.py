"""Wallets, their lots and pending lots as MongoDB documents, and back."""

from __future__ import annotations

from libs.clock import utc_now
from libs.mongo import Doc
from services.points.adapters.documents.ledger import (
    member_key,
    part_from_doc,
    part_to_doc,
    reason_code_to_doc,
    reason_params_from,
)
from services.points.domain.expiry import next_announcement
from services.points.domain.ledger import EntryType, Posting
from services.points.domain.lots import Lot, LotTake, PendingLot
from services.points.domain.wallet import Wallet


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
    doc: Doc = {
        "type": p.type.value,
        "points": p.points,
        "reason": p.reason,
        "order_id": p.order_id,
        "return_id": p.return_id,
        "campaign_id": p.campaign_id,
        "campaign_version": p.campaign_version,
    }
    if p.parts:
        doc["parts"] = [part_to_doc(part) for part in p.parts]
    return reason_code_to_doc(doc, p.reason_code, p.reason_params)


def posting_from_doc(doc: Doc) -> Posting:
    return Posting(
        EntryType(doc["type"]),
        doc["points"],
        doc["reason"],
        order_id=doc["order_id"],
        return_id=doc["return_id"],
        campaign_id=doc["campaign_id"],
        campaign_version=doc["campaign_version"],
        parts=tuple(part_from_doc(part) for part in doc.get("parts", ())),
        reason_code=doc.get("reason_code", ""),
        reason_params=reason_params_from(doc),
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
        "expiry_warnings": sorted(wallet.expiry_warnings.items()),
        # When the lot sweep next has a lot to announce (see `next_announcement`).
        "announce_at": next_announcement(wallet),
        "version": wallet.version,
        "updated_at": utc_now(),
    }


def wallet_from_doc(doc: Doc) -> Wallet:
    wallet = Wallet(
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
        expiry_warnings=dict(doc.get("expiry_warnings", [])),
        version=doc["version"],
    )
    wallet.mark_lots()
    return wallet
