"""Adjustments and transfers as MongoDB documents, and back."""

from __future__ import annotations

from libs.mongo import Doc
from services.points.adapters.documents.ledger import balance_from_doc, balance_to_doc, member_key
from services.points.domain.adjustments import AdjustmentRecord
from services.points.domain.transfers import TransferRecord


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


def transfer_to_doc(record: TransferRecord) -> Doc:
    return {
        "_id": member_key(record.tenant_id, record.transfer_id),
        "tenant_id": record.tenant_id,
        "transfer_id": record.transfer_id,
        "from_member_id": record.from_member_id,
        "to_member_id": record.to_member_id,
        "fingerprint": record.fingerprint,
        "points": record.points,
        "reason": record.reason,
        "actor": record.actor,
        "out_entry_id": record.out_entry_id,
        "in_entry_id": record.in_entry_id,
        "from_balance": balance_to_doc(record.from_balance),
        "to_balance": balance_to_doc(record.to_balance),
        "created_at": record.created_at,
    }


def transfer_from_doc(doc: Doc) -> TransferRecord:
    return TransferRecord(
        tenant_id=doc["tenant_id"],
        transfer_id=doc["transfer_id"],
        from_member_id=doc["from_member_id"],
        to_member_id=doc["to_member_id"],
        fingerprint=doc["fingerprint"],
        points=doc["points"],
        reason=doc["reason"],
        actor=doc["actor"],
        out_entry_id=doc["out_entry_id"],
        in_entry_id=doc["in_entry_id"],
        from_balance=balance_from_doc(doc["from_balance"]),
        to_balance=balance_from_doc(doc["to_balance"]),
        created_at=doc["created_at"],
    )
