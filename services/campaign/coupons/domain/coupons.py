"""Coupons: issued to a member, generated in bulk for anyone holding the code, or public
(one code many shoppers use, up to a total and per-member limit); and whether one may be
used for a purchase, with a machine reason when not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from libs.errors import DomainError, FailedPrecondition
from services.campaign.coupons.domain.templates import CouponTemplate, TemplateStatus


class CouponKind(StrEnum):
    # issued to one member (by a campaign or an operator)
    MEMBER = "member"
    # generated in bulk: whoever holds the code may use it
    BEARER = "bearer"
    # one code for many shoppers, with a total and a per-member limit
    PUBLIC = "public"


class Refusal(StrEnum):
    """Why a coupon cannot be used for this purchase (also the problem code)."""

    EXPIRED = "coupon_expired"
    NOT_YET_VALID = "coupon_not_yet_valid"
    USED_UP = "coupon_used_up"
    WRONG_MEMBER = "coupon_wrong_member"
    MIN_TOTAL_NOT_MET = "coupon_min_total_not_met"
    CURRENCY_MISMATCH = "coupon_currency_mismatch"
    TEMPLATE_PAUSED = "coupon_template_paused"
    MEMBER_LIMIT_REACHED = "coupon_member_limit_reached"
    MEMBER_REQUIRED = "coupon_member_required"


@dataclass(frozen=True)
class Coupon:
    coupon_id: str
    tenant_id: str
    template_id: str
    code: str
    kind: CouponKind
    # Empty for bearer and public codes.
    member_id: str
    issued_at: datetime
    valid_from: datetime | None
    valid_until: datetime | None
    # How often this coupon may be redeemed: the template's limit, or a public code's total.
    max_redemptions: int
    redemptions: int = 0
    # Public codes only: how often one member may use it (None: no limit).
    per_member_limit: int | None = None
    issue_key: str = ""
    campaign_id: str = ""
    campaign_version: int = 0
    batch_id: str = ""
    # A keyed batch's place for this code (0 to count - 1): one code per place, so a batch
    # completed twice at once still has `count` codes. None outside keyed batches.
    batch_slot: int | None = None

    @property
    def remaining(self) -> int:
        return max(0, self.max_redemptions - self.redemptions)

    def state(self, now: datetime) -> str:
        """available, redeemed or expired, as a member's list shows it."""
        if self.remaining == 0:
            return "redeemed"
        if self.valid_until is not None and now >= self.valid_until:
            return "expired"
        return "available"


@dataclass(frozen=True)
class Purchase:
    """What a till or web shop tells about the sale the coupon is for."""

    member_id: str
    total: Decimal | None
    currency: str
    at: datetime


def issued_coupon(
    template: CouponTemplate,
    *,
    coupon_id: str,
    code: str,
    kind: CouponKind,
    member_id: str,
    now: datetime,
    issue_key: str = "",
    campaign_id: str = "",
    campaign_version: int = 0,
    batch_id: str = "",
    batch_slot: int | None = None,
    max_redemptions: int | None = None,
    per_member_limit: int | None = None,
) -> Coupon:
    valid_from, valid_until = template.window_for(now)
    return Coupon(
        coupon_id=coupon_id,
        tenant_id=template.tenant_id,
        template_id=template.template_id,
        code=code,
        kind=kind,
        member_id=member_id,
        issued_at=now,
        valid_from=valid_from,
        valid_until=valid_until,
        max_redemptions=max_redemptions or template.definition.max_redemptions,
        per_member_limit=per_member_limit,
        issue_key=issue_key,
        campaign_id=campaign_id,
        campaign_version=campaign_version,
        batch_id=batch_id,
        batch_slot=batch_slot,
    )


def _window_refusal(coupon: Coupon, at: datetime) -> Refusal | None:
    if coupon.valid_until is not None and at >= coupon.valid_until:
        return Refusal.EXPIRED
    if coupon.valid_from is not None and at < coupon.valid_from:
        return Refusal.NOT_YET_VALID
    return None


def _purchase_refusal(template: CouponTemplate, purchase: Purchase) -> Refusal | None:
    d = template.definition
    currency = d.discount.currency
    if currency and purchase.currency and purchase.currency != currency:
        return Refusal.CURRENCY_MISMATCH
    if d.min_total is None or purchase.total is None:
        return None
    return Refusal.MIN_TOTAL_NOT_MET if purchase.total < d.min_total else None


def refusal(coupon: Coupon, template: CouponTemplate, purchase: Purchase) -> Refusal | None:
    """The first reason the coupon cannot be used for this purchase, or None. The per-member
    limit of a public code is counted by the store, which alone knows the uses."""
    if template.status is TemplateStatus.PAUSED:
        return Refusal.TEMPLATE_PAUSED
    if coupon.kind is CouponKind.MEMBER and purchase.member_id != coupon.member_id:
        return Refusal.WRONG_MEMBER
    if coupon.kind is CouponKind.PUBLIC and coupon.per_member_limit and not purchase.member_id:
        return Refusal.MEMBER_REQUIRED
    if coupon.remaining == 0:
        return Refusal.USED_UP
    return _window_refusal(coupon, purchase.at) or _purchase_refusal(template, purchase)


_PROBLEM = {
    Refusal.EXPIRED: ("coupon_expired", "the coupon has expired"),
    Refusal.NOT_YET_VALID: ("coupon_not_applicable", "the coupon is not valid yet"),
    Refusal.USED_UP: ("coupon_used_up", "the coupon has been used up"),
    Refusal.WRONG_MEMBER: ("coupon_not_applicable", "the coupon belongs to another member"),
    Refusal.MIN_TOTAL_NOT_MET: ("coupon_not_applicable", "the order total is below the minimum"),
    Refusal.CURRENCY_MISMATCH: ("coupon_not_applicable", "the coupon is for another currency"),
    Refusal.TEMPLATE_PAUSED: ("coupon_not_applicable", "the coupon's offer is paused"),
    Refusal.MEMBER_LIMIT_REACHED: (
        "coupon_used_up",
        "the member has used this code as often as allowed",
    ),
    Refusal.MEMBER_REQUIRED: ("coupon_not_applicable", "this code needs a member"),
}


def refused(reason: Refusal) -> DomainError:
    """The error a redemption refused for `reason` raises; its message names the reason."""
    code, message = _PROBLEM[reason]
    return FailedPrecondition(f"{message} ({reason.value})", code=code)
