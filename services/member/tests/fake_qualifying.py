"""In-memory qualifying purchases, for the tier consumer's unit tests."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal

from services.member.domain.qualifying import QualifyingPurchase

Purchases = dict[tuple[str, str], QualifyingPurchase]


class FakeQualifying:
    def __init__(self, purchases: Purchases, locks: dict[tuple[str, str], int]) -> None:
        self._purchases = purchases
        self._locks = locks

    async def add_purchase(self, purchase: QualifyingPurchase) -> None:
        key = (purchase.tenant_id, purchase.order_id)
        before = self._purchases.get(key)
        reversed_points = before.reversed_points if before else 0
        self._purchases[key] = dataclasses.replace(purchase, reversed_points=reversed_points)

    async def add_return(
        self, tenant_id: str, order_id: str, member_id: str, points: int, at: datetime
    ) -> None:
        key = (tenant_id, order_id)
        before = self._purchases.get(key) or QualifyingPurchase(
            tenant_id, order_id, member_id, at, 0, Decimal(0)
        )
        self._purchases[key] = dataclasses.replace(
            before, reversed_points=before.reversed_points + points
        )

    async def add_bonus(
        self, tenant_id: str, order_id: str, member_id: str, points: int, at: datetime
    ) -> None:
        key = (tenant_id, order_id)
        before = self._purchases.get(key) or QualifyingPurchase(
            tenant_id, order_id, member_id, at, 0, Decimal(0)
        )
        self._purchases[key] = dataclasses.replace(before, points=before.points + points)

    async def of_members(
        self, tenant_id: str, member_ids: list[str], since: datetime
    ) -> list[QualifyingPurchase]:
        return [
            p
            for (tenant, _), p in self._purchases.items()
            if tenant == tenant_id and p.member_id in member_ids and p.occurred_at >= since
        ]

    async def lock_member(self, tenant_id: str, member_id: str) -> None:
        key = (tenant_id, member_id)
        self._locks[key] = self._locks.get(key, 0) + 1
