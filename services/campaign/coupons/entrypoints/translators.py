"""Coupon templates, coupons and purchases between protobuf and the domain."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from libs.errors import InvalidArgument
from libs.languages_wire import fill_translations, translations_from_pb
from libs.timestamps import optional_datetime, optional_timestamp
from loyalty.campaign.v1 import coupons_pb2 as pb
from services.campaign.coupons.domain.coupons import Coupon, Purchase
from services.campaign.coupons.domain.templates import (
    CouponTemplate,
    Discount,
    DiscountKind,
    TemplateDefinition,
    TemplateUsage,
    Validity,
)


def decimal_of(raw: str, name: str) -> Decimal | None:
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidArgument(f"{name}: a decimal amount such as 100.00") from None
    if not value.is_finite() or value < 0:
        raise InvalidArgument(f"{name}: a decimal amount of 0 or more")
    return value


def _kind(raw: str) -> DiscountKind:
    try:
        return DiscountKind(raw)
    except ValueError:
        raise InvalidArgument(f"discount.kind: one of {', '.join(DiscountKind)}") from None


def definition_from(d: pb.CouponTemplateDefinition) -> TemplateDefinition:
    discount = d.discount
    return TemplateDefinition(
        name=d.name,
        description=d.description,
        discount=Discount(
            _kind(discount.kind),
            decimal_of(discount.amount, "discount.amount"),
            discount.currency,
            discount.percent,
            discount.sku,
        ),
        validity=Validity(
            optional_datetime(d, "valid_from"),
            optional_datetime(d, "valid_until"),
            d.valid_days if d.HasField("valid_days") else None,
        ),
        min_total=decimal_of(d.min_total, "min_total"),
        max_redemptions=d.max_redemptions or 1,
        translations=translations_from_pb(d.translations),
    )


def discount_message(d: Discount) -> pb.CouponDiscount:
    return pb.CouponDiscount(
        kind=d.kind.value,
        amount="" if d.amount is None else str(d.amount),
        currency=d.currency,
        percent=d.percent,
        sku=d.sku,
    )


def template_message(t: CouponTemplate) -> pb.CouponTemplate:
    message = _template_message(t)
    fill_translations(message.definition.translations, t.definition.translations)
    return message


def _template_message(t: CouponTemplate) -> pb.CouponTemplate:
    d = t.definition
    return pb.CouponTemplate(
        template_id=t.template_id,
        definition=pb.CouponTemplateDefinition(
            name=d.name,
            description=d.description,
            discount=discount_message(d.discount),
            min_total="" if d.min_total is None else str(d.min_total),
            valid_from=optional_timestamp(d.validity.starts_at),
            valid_until=optional_timestamp(d.validity.ends_at),
            valid_days=d.validity.days,
            max_redemptions=d.max_redemptions,
        ),
        status=t.status.value,
        created_at=optional_timestamp(t.created_at),
        updated_at=optional_timestamp(t.updated_at),
    )


def usage_message(u: TemplateUsage) -> pb.CouponTemplateUsage:
    return pb.CouponTemplateUsage(
        template_id=u.template_id,
        coupons=u.coupons,
        redemptions=u.redemptions,
        coupons_redeemed=u.coupons_redeemed,
    )


def coupon_message(c: Coupon, template: CouponTemplate | None, now: datetime) -> pb.Coupon:
    message = pb.Coupon(
        coupon_id=c.coupon_id,
        code=c.code,
        template_id=c.template_id,
        kind=c.kind.value,
        member_id=c.member_id,
        issued_at=optional_timestamp(c.issued_at),
        valid_from=optional_timestamp(c.valid_from),
        valid_until=optional_timestamp(c.valid_until),
        max_redemptions=c.max_redemptions,
        redemptions=c.redemptions,
        per_member_limit=c.per_member_limit,
        state=c.state(now),
        campaign_id=c.campaign_id,
        batch_id=c.batch_id,
    )
    if template is not None:
        d = template.definition
        message.name = d.name
        message.discount.CopyFrom(discount_message(d.discount))
        message.min_total = "" if d.min_total is None else str(d.min_total)
    return message


def purchase_from(p: pb.CouponPurchase, now: datetime) -> Purchase:
    return Purchase(p.member_id, decimal_of(p.total, "total"), p.currency, now)
