"""Adjustments and transfers in MongoDB, one document per tenant and id."""

from __future__ import annotations

from collections.abc import Sequence

from services.points.adapters.documents.ledger import member_key
from services.points.adapters.documents.operators import (
    adjustment_from_doc,
    adjustment_to_doc,
    transfer_from_doc,
    transfer_to_doc,
)
from services.points.adapters.repositories.collection import Collection
from services.points.domain.adjustments import AdjustmentRecord
from services.points.domain.transfers import TransferRecord

ADJUSTMENTS = "adjustments"
TRANSFERS = "transfers"


class MongoAdjustmentRepository(Collection):
    async def get(self, tenant_id: str, adjustment_id: str) -> AdjustmentRecord | None:
        doc = await self._find(member_key(tenant_id, adjustment_id))
        return adjustment_from_doc(doc) if doc else None

    async def add(self, record: AdjustmentRecord) -> None:
        await self._insert(adjustment_to_doc(record), record.adjustment_id)

    async def get_many(
        self, tenant_id: str, adjustment_ids: Sequence[str]
    ) -> list[AdjustmentRecord]:
        keys = [member_key(tenant_id, adjustment_id) for adjustment_id in adjustment_ids]
        cursor = self._collection.find({"_id": {"$in": keys}}, session=self._session)
        return [adjustment_from_doc(doc) async for doc in cursor]


class MongoTransferRepository(Collection):
    async def get(self, tenant_id: str, transfer_id: str) -> TransferRecord | None:
        doc = await self._find(member_key(tenant_id, transfer_id))
        return transfer_from_doc(doc) if doc else None

    async def add(self, record: TransferRecord) -> None:
        await self._insert(transfer_to_doc(record), record.transfer_id)
