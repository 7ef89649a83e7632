"""Points a campaign hands out outside a purchase's own evaluation, and the port that does
it: the points service (coupons go through the coupons context's `CouponIssuer`). Each
carries an idempotency key, so a redelivered event or a job run twice hands out nothing more."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class PointsGrant:
    tenant_id: str
    member_id: str
    # Unique per tenant: "<campaign_id>:<event id>", or member and date for a job.
    grant_key: str
    points: int
    campaign_id: str
    campaign_version: int
    reason: str
    # Set for a purchase bonus settled after the order: the grant belongs to that order.
    order_id: str = ""
    # The reason as a code with parameters, rendered in the reader's language (libs.reasons).
    reason_code: str = ""
    reason_params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class GrantedPoints:
    points: int
    # The key had credited already; nothing was credited now.
    replayed: bool


class PointsGranter(Protocol):
    async def grant(self, grant: PointsGrant) -> GrantedPoints: ...
