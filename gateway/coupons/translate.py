"""Coupon bodies and answers between JSON and CouponService messages. Money goes on as the
decimal string the caller sent, never through a float."""

from __future__ import annotations

from gateway.coupons.answers import BatchCodeOut, CouponTemplateOut, TemplateUsageOut
from gateway.coupons.bodies import AmountOff, CouponTemplateBody, PercentOff
from gateway.edge.languages import LocalizedOut
from gateway.shared.answers import ValidityOut
from gateway.shared.translate import discount_out
from libs.languages import Translations
from libs.languages_wire import fill_translations, translations_from_pb
from libs.timestamps import aware, optional_datetime, optional_timestamp
from loyalty.campaign.v1 import coupons_pb2 as pb


def _discount(body: CouponTemplateBody) -> pb.CouponDiscount:
    d = body.discount
    if isinstance(d, AmountOff):
        return pb.CouponDiscount(kind=d.kind, amount=str(d.amount), currency=d.currency)
    if isinstance(d, PercentOff):
        return pb.CouponDiscount(kind=d.kind, percent=d.percent)
    return pb.CouponDiscount(kind=d.kind, sku=d.sku)


def template_definition(body: CouponTemplateBody) -> pb.CouponTemplateDefinition:
    message = _template_definition(body)
    texts = {locale: t.model_dump(exclude_none=True) for locale, t in body.translations.items()}
    fill_translations(message.translations, Translations.of(texts))
    return message


def _template_definition(body: CouponTemplateBody) -> pb.CouponTemplateDefinition:
    v = body.validity
    return pb.CouponTemplateDefinition(
        name=body.name,
        description=body.description,
        discount=_discount(body),
        min_total="" if body.min_total is None else str(body.min_total),
        valid_from=optional_timestamp(v.starts_at),
        valid_until=optional_timestamp(v.ends_at),
        valid_days=v.days,
        max_redemptions=body.max_redemptions,
    )


def usage_out(u: pb.CouponTemplateUsage) -> TemplateUsageOut:
    return TemplateUsageOut(
        coupons=u.coupons, redemptions=u.redemptions, coupons_redeemed=u.coupons_redeemed
    )


def template_out(
    t: pb.CouponTemplate, locale: str, usage: pb.CouponTemplateUsage | None = None
) -> CouponTemplateOut:
    d = t.definition
    texts = translations_from_pb(d.translations)
    return CouponTemplateOut(
        template_id=t.template_id,
        name=d.name,
        description=d.description,
        discount=discount_out(d.discount),
        min_total=d.min_total or None,
        validity=ValidityOut(
            starts_at=optional_datetime(d, "valid_from"),
            ends_at=optional_datetime(d, "valid_until"),
            days=d.valid_days if d.HasField("valid_days") else None,
        ),
        max_redemptions=d.max_redemptions,
        status=t.status,
        created_at=aware(t.created_at),
        updated_at=aware(t.updated_at),
        usage=None if usage is None else usage_out(usage),
        translations=texts.by_locale(),
        localized=LocalizedOut(
            name=texts.text("name", locale, d.name),
            description=texts.text("description", locale, d.description),
        ),
    )


def batch_code_out(c: pb.Coupon) -> BatchCodeOut:
    return BatchCodeOut(
        code=c.code,
        coupon_id=c.coupon_id,
        valid_until=optional_datetime(c, "valid_until"),
        state=c.state,
    )
