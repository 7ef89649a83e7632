"""Grant holds committed with their order, as the coupon issuing for purchase campaigns
reads them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from services.campaign.coupons.domain.issues import CouponIssue


@dataclass(frozen=True)
class CommittedHold:
    hold_id: str
    # The coupon the campaign's effect issues for it; None for a points effect.
    coupon: CouponIssue | None


class CommittedHolds(Protocol):
    async def unchecked(
        self, *, tenant_id: str = "", hold_ids: Sequence[str] = (), limit: int = 200
    ) -> list[CommittedHold]:
        """Committed holds (of `hold_ids` when given) not yet checked for a coupon."""
        ...

    async def checked(self, hold_id: str, coupon_id: str) -> None: ...
