"""A purchase campaign's coupon, issued once the order's hold is committed (the order was
credited), under the key "<campaign>:<order>": the order's SettleGrants issues it
at once, and a sweep issues any a crash left behind."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from libs.errors import DomainError
from libs.logging import get_logger
from services.campaign.campaigns.domain.committed_holds import CommittedHold, CommittedHolds
from services.campaign.coupons.domain.issues import CouponIssuer

log = get_logger(__name__)
SWEEP_BATCH = 200


@dataclass(frozen=True)
class OrderCoupons:
    holds: CommittedHolds
    issuer: CouponIssuer

    async def issue_for(self, tenant_id: str, hold_ids: Sequence[str]) -> int:
        """After SettleGrants committed these holds: the coupons issued."""
        if not hold_ids:
            return 0
        return await self._issue(await self.holds.unchecked(tenant_id=tenant_id, hold_ids=hold_ids))

    async def sweep(self) -> int:
        """The holds checked (the sweeper goes on at once while it fills a batch)."""
        holds = await self.holds.unchecked(limit=SWEEP_BATCH)
        await self._issue(holds)
        return len(holds)

    async def _issue(self, holds: Sequence[CommittedHold]) -> int:
        issued = 0
        for hold in holds:
            coupon_id = ""
            if hold.coupon is not None:
                try:
                    coupon_id = (await self.issuer.issue(hold.coupon)).coupon_id
                    issued += 1
                except DomainError as exc:  # the template was paused or has ended
                    log.warning("order_coupon_refused", hold_id=hold.hold_id, code=exc.code)
            await self.holds.checked(hold.hold_id, coupon_id)
        return issued
