"""Ledger entries and balances as MongoDB documents, and back; the key of per-tenant ids."""

from __future__ import annotations

from typing import Any

from libs.mongo import Doc
from services.points.domain.balances import Balance, ExpiringPoints
from services.points.domain.ledger import Entry, EntryType, Part, ReasonParams
from services.points.domain.wallet import Wallet


def member_key(tenant_id: str, member_id: str) -> str:
    return f"{tenant_id}:{member_id}"


def reason_code_to_doc(doc: Doc, code: str, params: ReasonParams) -> Doc:
    """`doc` with the reason's code and parameters, when it has a code."""
    if code:
        doc["reason_code"] = code
        doc["reason_params"] = dict(params)
    return doc


def reason_params_from(doc: Doc) -> ReasonParams:
    return tuple((str(k), str(v)) for k, v in (doc.get("reason_params") or {}).items())


def part_to_doc(part: Part) -> Doc:
    doc = {
        "type": part.type.value,
        "points": part.points,
        "reason": part.reason,
        "campaign_id": part.campaign_id,
        "campaign_version": part.campaign_version,
    }
    return reason_code_to_doc(doc, part.reason_code, part.reason_params)


def part_from_doc(doc: Doc) -> Part:
    return Part(
        EntryType(doc["type"]),
        doc["points"],
        doc["reason"],
        doc.get("campaign_id", ""),
        doc.get("campaign_version", 0),
        doc.get("reason_code", ""),
        reason_params_from(doc),
    )


def entry_to_doc(wallet: Wallet, entry: Entry) -> Doc:
    doc: Doc = {
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
        "lots": [{"lot_id": lot_id, "points": points} for lot_id, points in entry.lots],
    }
    if entry.parts:
        doc["parts"] = [part_to_doc(part) for part in entry.parts]
    return reason_code_to_doc(doc, entry.reason_code, entry.reason_params)


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
        lots=tuple((m["lot_id"], m["points"]) for m in doc.get("lots", [])),
        parts=tuple(part_from_doc(part) for part in doc.get("parts", ())),
        reason_code=doc.get("reason_code", ""),
        reason_params=reason_params_from(doc),
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
