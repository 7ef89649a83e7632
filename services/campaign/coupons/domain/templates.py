"""Coupon templates: what a coupon is worth (the till applies the discount; the platform
validates and records it), when it may be used and how often."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from libs.errors import FailedPrecondition, InvalidArgument
from libs.languages import Translations

MAX_NAME = 200
MAX_VALID_DAYS = 3660
MAX_REDEMPTIONS = 1000


class DiscountKind(StrEnum):
    AMOUNT_OFF = "amount_off"
    PERCENT_OFF = "percent_off"
    FREE_ITEM = "free_item"


class TemplateStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"


@dataclass(frozen=True)
class TemplateUsage:
    """How much a template's coupons have been used."""

    template_id: str
    coupons: int = 0
    redemptions: int = 0
    coupons_redeemed: int = 0


@dataclass(frozen=True)
class Discount:
    kind: DiscountKind
    # amount_off: the amount and its currency
    amount: Decimal | None = None
    currency: str = ""
    # percent_off: 1 to 100
    percent: int = 0
    # free_item: the SKU given away
    sku: str = ""


@dataclass(frozen=True)
class Validity:
    """Either a fixed window, or `days` after the coupon is issued (then `ends_at` is the
    latest any coupon of the template may be valid, when given)."""

    starts_at: datetime | None = None
    ends_at: datetime | None = None
    days: int | None = None


@dataclass(frozen=True)
class TemplateDefinition:
    name: str
    discount: Discount
    validity: Validity = Validity()
    min_total: Decimal | None = None
    # How often one coupon may be redeemed.
    max_redemptions: int = 1
    description: str = ""
    # name and description in other languages than the tenant's default
    translations: Translations = field(default_factory=Translations)


@dataclass(frozen=True)
class CouponTemplate:
    template_id: str
    tenant_id: str
    definition: TemplateDefinition
    status: TemplateStatus
    created_at: datetime
    updated_at: datetime

    def window_for(self, issued_at: datetime) -> tuple[datetime | None, datetime | None]:
        """When a coupon issued now may be used."""
        v = self.definition.validity
        if v.days is None:
            return v.starts_at, v.ends_at
        until = issued_at + timedelta(days=v.days)
        return v.starts_at, until if v.ends_at is None else min(until, v.ends_at)


def _check(failed: bool, message: str) -> None:
    if failed:
        raise InvalidArgument(message)


def _check_discount(d: Discount) -> None:
    if d.kind is DiscountKind.AMOUNT_OFF:
        _check(
            d.amount is None or not d.amount.is_finite() or d.amount <= 0,
            "discount.amount: a decimal amount above 0",
        )
        _check(len(d.currency) != 3 or not d.currency.isalpha(), "discount.currency: ISO 4217")
        _check(bool(d.percent or d.sku), "discount: amount_off takes only amount and currency")
    elif d.kind is DiscountKind.PERCENT_OFF:
        _check(not 1 <= d.percent <= 100, "discount.percent: a whole number from 1 to 100")
        _check(d.amount is not None or bool(d.sku), "discount: percent_off takes only percent")
    else:
        _check(not d.sku.strip(), "discount.sku: required for a free item")
        _check(d.amount is not None or bool(d.percent), "discount: free_item takes only sku")


def _check_validity(v: Validity) -> None:
    for stamp, name in ((v.starts_at, "starts_at"), (v.ends_at, "ends_at")):
        _check(
            stamp is not None and stamp.tzinfo is None, f"validity.{name}: needs a time zone offset"
        )
    _check(
        v.starts_at is not None and v.ends_at is not None and v.ends_at <= v.starts_at,
        "validity.ends_at: must be after starts_at",
    )
    _check(
        v.days is not None and not 1 <= v.days <= MAX_VALID_DAYS,
        f"validity.days: from 1 to {MAX_VALID_DAYS}",
    )


def validate(d: TemplateDefinition) -> TemplateDefinition:
    _check(not d.name.strip(), "name: required")
    _check(len(d.name) > MAX_NAME, f"name: at most {MAX_NAME} characters")
    for problem in d.translations.problems(("name", "description")):
        raise InvalidArgument(problem)
    _check(
        d.min_total is not None and (not d.min_total.is_finite() or d.min_total < 0),
        "min_total: a decimal amount of 0 or more",
    )
    _check(
        not 1 <= d.max_redemptions <= MAX_REDEMPTIONS,
        f"max_redemptions: from 1 to {MAX_REDEMPTIONS}",
    )
    _check_discount(d.discount)
    _check_validity(d.validity)
    return d


def create(
    template_id: str, tenant_id: str, definition: TemplateDefinition, now: datetime
) -> CouponTemplate:
    validate(definition)
    return CouponTemplate(template_id, tenant_id, definition, TemplateStatus.ACTIVE, now, now)


def set_status(template: CouponTemplate, status: TemplateStatus, now: datetime) -> CouponTemplate:
    """Pausing a paused template (or resuming an active one) changes nothing."""
    if template.status is status:
        return template
    return replace(template, status=status, updated_at=now)


def usable_for_issue(template: CouponTemplate, now: datetime) -> None:
    if template.status is TemplateStatus.PAUSED:
        raise FailedPrecondition(
            f"coupon template {template.template_id} is paused", code="coupon_template_paused"
        )
    ends_at = template.definition.validity.ends_at
    if ends_at is not None and ends_at <= now:
        raise FailedPrecondition(
            f"coupon template {template.template_id} has ended", code="coupon_expired"
        )
