"""Validate and redeem coupons for tills and web shops. A redemption is recorded once
per redemption id, in the transaction that counts it against the coupon."""

from __future__ import annotations

from dataclasses import dataclass, replace

from libs.clock import Clock, stored_now, utc_now
from libs.errors import InvalidArgument
from libs.ids import new_id
from services.campaign.coupons.domain.codes import normalise
from services.campaign.coupons.domain.coupons import (
    Coupon,
    CouponKind,
    Purchase,
    Refusal,
    refusal,
    refused,
)
from services.campaign.coupons.domain.errors import CouponNotFound
from services.campaign.coupons.domain.events import CouponRedeemed
from services.campaign.coupons.domain.ports import (
    CouponRepositories,
    CouponUnitOfWork,
    RedemptionTaken,
)
from services.campaign.coupons.domain.redemptions import RedeemRequest, Redemption, same_request
from services.campaign.coupons.domain.templates import CouponTemplate
from services.campaign.coupons.handlers.issue import template_of

MAX_REDEMPTION_ID = 128


@dataclass(frozen=True)
class Checked:
    coupon: Coupon
    template: CouponTemplate
    reason: Refusal | None


@dataclass(frozen=True)
class Redeemed:
    redemption: Redemption
    coupon: Coupon
    template: CouponTemplate
    replayed: bool


async def _found(repos: CouponRepositories, tenant_id: str, code: str) -> Coupon:
    coupon = await repos.coupons.by_code(tenant_id, normalise(code)) if code.strip() else None
    if coupon is None:
        raise CouponNotFound()
    return coupon


def _counted_once_per_member(coupon: Coupon, member_id: str) -> bool:
    return coupon.kind is CouponKind.PUBLIC and bool(member_id)


async def check(
    repos: CouponRepositories, coupon: Coupon, purchase: Purchase
) -> tuple[CouponTemplate, Refusal | None]:
    template = await template_of(repos, coupon.tenant_id, coupon.template_id)
    reason = refusal(coupon, template, purchase)
    limit = coupon.per_member_limit
    counted = limit is not None and _counted_once_per_member(coupon, purchase.member_id)
    uses = await repos.coupons.member_uses(coupon.coupon_id, purchase.member_id) if counted else 0
    if reason is None and limit is not None and uses >= limit:
        reason = Refusal.MEMBER_LIMIT_REACHED
    return template, reason


async def validate_coupon(
    tenant_id: str, code: str, purchase: Purchase, uow: CouponUnitOfWork
) -> Checked:
    async def work(repos: CouponRepositories) -> Checked:
        coupon = await _found(repos, tenant_id, code)
        template, reason = await check(repos, coupon, purchase)
        return Checked(coupon, template, reason)

    return await uow.read(work)


async def redeem_coupon(
    cmd: RedeemRequest, uow: CouponUnitOfWork, clock: Clock = utc_now
) -> Redeemed:
    if not cmd.redemption_id or len(cmd.redemption_id) > MAX_REDEMPTION_ID:
        raise InvalidArgument(f"redemption_id: 1 to {MAX_REDEMPTION_ID} characters")
    try:
        return await uow.transaction(lambda repos: _redeem(repos, cmd, clock))
    except RedemptionTaken:
        # The same redemption id committed by a concurrent call: answer with it.
        return await uow.read(lambda repos: _replay(repos, cmd))


async def _replay(repos: CouponRepositories, cmd: RedeemRequest) -> Redeemed:
    first = await repos.redemptions.get(cmd.tenant_id, cmd.redemption_id)
    if first is None:
        raise CouponNotFound()
    same_request(first, cmd)
    coupon = await _found(repos, cmd.tenant_id, first.code)
    template = await template_of(repos, cmd.tenant_id, coupon.template_id)
    as_then = coupon.max_redemptions - first.remaining
    return Redeemed(first, _with_uses(coupon, as_then), template, replayed=True)


async def _redeem(repos: CouponRepositories, cmd: RedeemRequest, clock: Clock) -> Redeemed:
    if await repos.redemptions.get(cmd.tenant_id, cmd.redemption_id) is not None:
        return await _replay(repos, cmd)
    # To the millisecond, as MongoDB keeps it, so that a retry answers the very same time.
    now = stored_now(clock)
    coupon = await _found(repos, cmd.tenant_id, cmd.code)
    purchase = Purchase(cmd.member_id, cmd.total, cmd.currency, now)
    template, reason = await check(repos, coupon, purchase)
    if reason is not None:
        raise refused(reason)
    counted = _counted_once_per_member(coupon, cmd.member_id)
    if counted and not await repos.coupons.use_for_member(coupon, cmd.member_id):
        raise refused(Refusal.MEMBER_LIMIT_REACHED)
    if not await repos.coupons.use(coupon):
        raise refused(Refusal.USED_UP)
    used = _with_uses(coupon, coupon.redemptions + 1)
    redemption = Redemption(
        redemption_id=cmd.redemption_id,
        tenant_id=cmd.tenant_id,
        coupon_id=coupon.coupon_id,
        code=coupon.code,
        template_id=coupon.template_id,
        member_id=cmd.member_id,
        order_id=cmd.order_id,
        total=cmd.total,
        currency=cmd.currency,
        channel=cmd.channel,
        store_id=cmd.store_id,
        redeemed_at=now,
        remaining=used.remaining,
        fingerprint=cmd.fingerprint(),
    )
    await repos.redemptions.add(redemption)
    repos.record(CouponRedeemed(new_id("ev"), used, redemption, now))
    return Redeemed(redemption, used, template, replayed=False)


def _with_uses(coupon: Coupon, redemptions: int) -> Coupon:
    return replace(coupon, redemptions=redemptions)
