"""What the coupon handlers need from storage, inside one transaction or for a read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol, TypeVar

from services.campaign.coupons.domain.batches import KeyedBatch
from services.campaign.coupons.domain.coupons import Coupon
from services.campaign.coupons.domain.events import CouponEvent
from services.campaign.coupons.domain.redemptions import Redemption
from services.campaign.coupons.domain.templates import CouponTemplate, TemplateUsage

T = TypeVar("T")


class TemplateRepository(Protocol):
    async def add(self, template: CouponTemplate) -> None: ...

    async def get(self, tenant_id: str, template_id: str) -> CouponTemplate | None:
        """None when absent or another tenant's."""
        ...

    async def save(self, template: CouponTemplate) -> None: ...

    async def list(self, tenant_id: str, limit: int) -> list[CouponTemplate]:
        """Newest first."""
        ...


class CouponRepository(Protocol):
    async def add(self, coupon: Coupon) -> bool:
        """False when the code is taken (the caller draws another)."""
        ...

    async def add_many(self, coupons: Sequence[Coupon]) -> list[Coupon]:
        """Insert what it can, outside any transaction; the coupons whose code was taken."""
        ...

    async def claim_batch(self, batch: KeyedBatch) -> KeyedBatch:
        """Store the keyed batch, outside any transaction; the one stored under its tenant,
        template and request id before, if any (whatever its id and count)."""
        ...

    async def batch_places(self, tenant_id: str, batch_id: str) -> set[int]:
        """The places of a keyed batch that have a code."""
        ...

    async def by_code(self, tenant_id: str, code: str) -> Coupon | None: ...

    async def by_issue_key(self, tenant_id: str, issue_key: str) -> Coupon | None: ...

    async def of_member(self, tenant_id: str, member_id: str, limit: int) -> list[Coupon]:
        """Newest first."""
        ...

    async def of_batch(self, tenant_id: str, batch_id: str, after: str, limit: int) -> list[Coupon]:
        """In code order, after the code `after`."""
        ...

    async def use(self, coupon: Coupon) -> bool:
        """Count one redemption, only if nobody else did since `coupon` was read and one is
        left; False otherwise."""
        ...

    async def use_for_member(self, coupon: Coupon, member_id: str) -> bool:
        """Count one use of a public code by a member, within its per-member limit."""
        ...

    async def member_uses(self, coupon_id: str, member_id: str) -> int:
        """How often the member used this public code."""
        ...

    async def reassign(self, tenant_id: str, from_member: str, to_member: str) -> int:
        """Make the coupons of `from_member` belong to `to_member`; how many moved."""
        ...

    async def usage(self, tenant_id: str, template_ids: Sequence[str]) -> list[TemplateUsage]:
        """How much each template's coupons have been used, in the order asked."""
        ...


class RedemptionRepository(Protocol):
    async def get(self, tenant_id: str, redemption_id: str) -> Redemption | None: ...

    async def add(self, redemption: Redemption) -> None: ...


class CouponRepositories(Protocol):
    @property
    def templates(self) -> TemplateRepository: ...

    @property
    def coupons(self) -> CouponRepository: ...

    @property
    def redemptions(self) -> RedemptionRepository: ...

    async def claim(self, consumer: str, event_id: str) -> bool:
        """Note that `consumer` handles `event_id` in this unit of work; False when it was
        handled before."""
        ...

    def record(self, event: CouponEvent) -> None: ...


class CouponUnitOfWork(Protocol):
    async def transaction(self, work: Callable[[CouponRepositories], Awaitable[T]]) -> T: ...

    async def read(self, work: Callable[[CouponRepositories], Awaitable[T]]) -> T: ...


class CodeTaken(Exception):
    """Another coupon of the tenant has this code; draw another."""


class IssueKeyTaken(Exception):
    """A coupon was issued under this key already (perhaps at the same moment)."""


class RedemptionTaken(Exception):
    """A concurrent call committed this redemption id first."""
