"""Operators' adjustments as MongoDB documents, and back."""

from __future__ import annotations

from libs.mongo import Doc
from services.points.adapters.documents import balance_from_doc, balance_to_doc, member_key
from services.points.domain.adjustments import AdjustmentRecord


def adjustment_to_doc(record: AdjustmentRecord) -> Doc:
    return {
        "_id": member_key(record.tenant_id, record.adjustment_id),
        "tenant_id": record.tenant_id,
        "adjustment_id": record.adjustment_id,
        "member_id": record.member_id,
        "fingerprint": record.fingerprint,
        "points": record.points,
        "reason": record.reason,
        "actor": record.actor,
        "entry_id": record.entry_id,
        "balance": balance_to_doc(record.balance),
        "created_at": record.created_at,
        "refusal_code": record.refusal_code,
        "refusal": record.refusal,
    }


def adjustment_from_doc(doc: Doc) -> AdjustmentRecord:
    return AdjustmentRecord(
        tenant_id=doc["tenant_id"],
        adjustment_id=doc["adjustment_id"],
        member_id=doc["member_id"],
        fingerprint=doc["fingerprint"],
        points=doc["points"],
        reason=doc["reason"],
        actor=doc["actor"],
        entry_id=doc["entry_id"],
        balance=balance_from_doc(doc["balance"]),
        created_at=doc["created_at"],
        refusal_code=doc.get("refusal_code", ""),
        refusal=doc.get("refusal", ""),
    )
