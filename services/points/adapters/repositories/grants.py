"""Grants in MongoDB, one document per tenant and grant key (its `_id`, so unique)."""

from __future__ import annotations

from libs.mongo import Doc
from services.points.adapters.documents.ledger import balance_from_doc, balance_to_doc, member_key
from services.points.adapters.repositories.collection import Collection
from services.points.domain.grants import GrantRecord

GRANTS = "grants"


def grant_to_doc(record: GrantRecord) -> Doc:
    return {
        "_id": member_key(record.tenant_id, record.grant_key),
        "tenant_id": record.tenant_id,
        "grant_key": record.grant_key,
        "member_id": record.member_id,
        "fingerprint": record.fingerprint,
        "points": record.points,
        "campaign_id": record.campaign_id,
        "campaign_version": record.campaign_version,
        "reason": record.reason,
        "order_id": record.order_id,
        "entry_id": record.entry_id,
        "balance": balance_to_doc(record.balance),
        "created_at": record.created_at,
    }


def grant_from_doc(doc: Doc) -> GrantRecord:
    return GrantRecord(
        tenant_id=doc["tenant_id"],
        grant_key=doc["grant_key"],
        member_id=doc["member_id"],
        fingerprint=doc["fingerprint"],
        points=doc["points"],
        campaign_id=doc["campaign_id"],
        campaign_version=doc["campaign_version"],
        reason=doc["reason"],
        order_id=doc["order_id"],
        entry_id=doc["entry_id"],
        balance=balance_from_doc(doc["balance"]),
        created_at=doc["created_at"],
    )


class MongoGrantRepository(Collection):
    async def get(self, tenant_id: str, grant_key: str) -> GrantRecord | None:
        doc = await self._find(member_key(tenant_id, grant_key))
        return grant_from_doc(doc) if doc else None

    async def add(self, record: GrantRecord) -> None:
        await self._insert(grant_to_doc(record), record.grant_key)
