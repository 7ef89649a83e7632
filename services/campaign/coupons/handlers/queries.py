"""A member's coupons, newest first; given a cart, whether each one would apply to it."""

from __future__ import annotations

from dataclasses import dataclass

from libs.paging import page_size
from services.campaign.coupons.domain.coupons import Coupon, Purchase, Refusal, refusal
from services.campaign.coupons.domain.ports import CouponRepositories, CouponUnitOfWork
from services.campaign.coupons.domain.templates import CouponTemplate


@dataclass(frozen=True)
class MemberCoupon:
    coupon: Coupon
    template: CouponTemplate
    # With a cart: why it would not apply (None: it would).
    reason: Refusal | None


async def member_coupons(
    uow: CouponUnitOfWork,
    tenant_id: str,
    member_id: str,
    limit: int,
    cart: Purchase | None = None,
) -> list[MemberCoupon]:
    size = page_size(limit)

    async def work(repos: CouponRepositories) -> list[MemberCoupon]:
        coupons = await repos.coupons.of_member(tenant_id, member_id, size)
        templates: dict[str, CouponTemplate] = {}
        for template_id in {c.template_id for c in coupons}:
            template = await repos.templates.get(tenant_id, template_id)
            if template is not None:
                templates[template_id] = template
        return [
            MemberCoupon(c, t, None if cart is None else refusal(c, t, cart))
            for c in coupons
            if (t := templates.get(c.template_id)) is not None
        ]

    return await uow.read(work)
