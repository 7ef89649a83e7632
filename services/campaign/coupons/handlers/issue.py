"""Issue a coupon to a member, once per issue key: for campaigns (the key names the
campaign and what triggered it) and for operators (the key is their request id)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from libs.clock import Clock, utc_now
from libs.errors import Conflict, InvalidArgument
from libs.ids import new_id
from services.campaign.coupons.domain.codes import new_code
from services.campaign.coupons.domain.coupons import Coupon, CouponKind, issued_coupon
from services.campaign.coupons.domain.errors import TemplateNotFound
from services.campaign.coupons.domain.events import CouponIssued
from services.campaign.coupons.domain.issues import CouponIssue, IssuedCoupon
from services.campaign.coupons.domain.ports import (
    CodeTaken,
    CouponRepositories,
    CouponUnitOfWork,
    IssueKeyTaken,
)
from services.campaign.coupons.domain.templates import CouponTemplate, usable_for_issue

CODE_ATTEMPTS = 5


async def template_of(
    repos: CouponRepositories, tenant_id: str, template_id: str
) -> CouponTemplate:
    template = await repos.templates.get(tenant_id, template_id) if template_id else None
    if template is None:
        raise TemplateNotFound(template_id)
    return template


async def add_with_fresh_code(
    uow: CouponUnitOfWork, draw: Callable[[str], Coupon], event: bool = True
) -> Coupon:
    """Store the coupon `draw` makes for a new code, with its `coupon.issued` event; a code
    that is taken (rare: 60 random bits) is drawn again."""

    async def work(repos: CouponRepositories, code: str) -> Coupon:
        coupon = draw(code)
        if not await repos.coupons.add(coupon):
            raise CodeTaken(code)
        if event:
            repos.record(CouponIssued(new_id("ev"), coupon, coupon.issued_at))
        return coupon

    for _ in range(CODE_ATTEMPTS):
        code = new_code()
        try:
            return await uow.transaction(_bind(work, code))
        except CodeTaken:
            continue
    raise Conflict("could not draw a free coupon code; try again")


def _bind(
    work: Callable[[CouponRepositories, str], Awaitable[Coupon]], code: str
) -> Callable[[CouponRepositories], Awaitable[Coupon]]:
    return lambda repos: work(repos, code)


async def issue_coupon(
    issue: CouponIssue, uow: CouponUnitOfWork, clock: Clock = utc_now
) -> IssuedCoupon:
    """One coupon of the template to the member, once per issue key."""
    if not (issue.tenant_id and issue.member_id and issue.issue_key):
        raise InvalidArgument("tenant_id, member_id and issue_key: required")
    existing = await _issued(issue, uow)
    if existing is not None:
        return existing
    now = clock()
    template = await uow.read(lambda repos: template_of(repos, issue.tenant_id, issue.template_id))
    usable_for_issue(template, now)

    def draw(code: str) -> Coupon:
        return issued_coupon(
            template,
            coupon_id=new_id("cpn"),
            code=code,
            kind=CouponKind.MEMBER,
            member_id=issue.member_id,
            now=now,
            issue_key=issue.issue_key,
            campaign_id=issue.campaign_id,
            campaign_version=issue.campaign_version,
        )

    try:
        coupon = await add_with_fresh_code(uow, draw)
    except IssueKeyTaken:
        again = await _issued(issue, uow)
        if again is None:
            raise
        return again
    return IssuedCoupon(coupon.coupon_id, coupon.code, replayed=False)


async def _issued(issue: CouponIssue, uow: CouponUnitOfWork) -> IssuedCoupon | None:
    coupon = await uow.read(
        lambda repos: repos.coupons.by_issue_key(issue.tenant_id, issue.issue_key)
    )
    if coupon is None:
        return None
    return IssuedCoupon(coupon.coupon_id, coupon.code, replayed=True)


@dataclass(frozen=True)
class Coupons:
    """The CouponIssuer the coupons context offers campaigns: `issue_coupon` over its unit
    of work."""

    uow: CouponUnitOfWork
    clock: Clock = utc_now

    async def issue(self, issue: CouponIssue) -> IssuedCoupon:
        return await issue_coupon(issue, self.uow, self.clock)
