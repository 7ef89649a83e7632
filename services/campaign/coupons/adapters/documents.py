"""Coupon templates, coupons and redemptions as documents, and back. Money is stored as
decimal strings, never floats."""

from __future__ import annotations

from decimal import Decimal

from libs.languages import Translations
from libs.mongo import Doc, decimal_or_none
from services.campaign.coupons.domain.coupons import Coupon, CouponKind
from services.campaign.coupons.domain.redemptions import Redemption
from services.campaign.coupons.domain.templates import (
    CouponTemplate,
    Discount,
    DiscountKind,
    TemplateDefinition,
    TemplateStatus,
    Validity,
)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def template_doc(t: CouponTemplate) -> Doc:
    d = t.definition
    return {
        "_id": t.template_id,
        "tenant_id": t.tenant_id,
        "status": t.status.value,
        "name": d.name,
        "description": d.description,
        "discount": {
            "kind": d.discount.kind.value,
            "amount": _money(d.discount.amount),
            "currency": d.discount.currency,
            "percent": d.discount.percent,
            "sku": d.discount.sku,
        },
        "validity": {
            "starts_at": d.validity.starts_at,
            "ends_at": d.validity.ends_at,
            "days": d.validity.days,
        },
        "min_total": _money(d.min_total),
        "max_redemptions": d.max_redemptions,
        "translations": d.translations.by_locale(),
        "created_at": t.created_at,
        "updated_at": t.updated_at,
    }


def template_from(doc: Doc) -> CouponTemplate:
    discount, validity = doc["discount"], doc.get("validity") or {}
    definition = TemplateDefinition(
        name=doc["name"],
        description=doc.get("description") or "",
        discount=Discount(
            DiscountKind(discount["kind"]),
            decimal_or_none(discount.get("amount")),
            discount.get("currency") or "",
            int(discount.get("percent") or 0),
            discount.get("sku") or "",
        ),
        validity=Validity(validity.get("starts_at"), validity.get("ends_at"), validity.get("days")),
        min_total=decimal_or_none(doc.get("min_total")),
        max_redemptions=int(doc.get("max_redemptions") or 1),
        translations=Translations.of(doc.get("translations") or {}),
    )
    return CouponTemplate(
        template_id=doc["_id"],
        tenant_id=doc["tenant_id"],
        definition=definition,
        status=TemplateStatus(doc["status"]),
        created_at=doc["created_at"],
        updated_at=doc.get("updated_at") or doc["created_at"],
    )


def coupon_key(tenant_id: str, code: str) -> str:
    return f"{tenant_id}:{code}"


def coupon_doc(c: Coupon) -> Doc:
    doc: Doc = {
        # The code is unique per tenant through the primary key, with no index of its own.
        "_id": coupon_key(c.tenant_id, c.code),
        "coupon_id": c.coupon_id,
        "tenant_id": c.tenant_id,
        "template_id": c.template_id,
        "code": c.code,
        "kind": c.kind.value,
        "issued_at": c.issued_at,
        "valid_from": c.valid_from,
        "valid_until": c.valid_until,
        "max_redemptions": c.max_redemptions,
        "redemptions": c.redemptions,
        "per_member_limit": c.per_member_limit,
    }
    # Absent rather than empty, so that the partial indexes over them skip the coupon.
    optional = {
        "member_id": c.member_id,
        "issue_key": c.issue_key,
        "campaign_id": c.campaign_id,
        "campaign_version": c.campaign_version,
        "batch_id": c.batch_id,
    }
    doc.update({name: value for name, value in optional.items() if value})
    if c.batch_slot is not None:
        doc["batch_slot"] = c.batch_slot
    return doc


def coupon_from(doc: Doc) -> Coupon:
    return Coupon(
        coupon_id=doc["coupon_id"],
        tenant_id=doc["tenant_id"],
        template_id=doc["template_id"],
        code=doc["code"],
        kind=CouponKind(doc["kind"]),
        member_id=doc.get("member_id") or "",
        issued_at=doc["issued_at"],
        valid_from=doc.get("valid_from"),
        valid_until=doc.get("valid_until"),
        max_redemptions=int(doc["max_redemptions"]),
        redemptions=int(doc.get("redemptions") or 0),
        per_member_limit=doc.get("per_member_limit"),
        issue_key=doc.get("issue_key") or "",
        campaign_id=doc.get("campaign_id") or "",
        campaign_version=int(doc.get("campaign_version") or 0),
        batch_id=doc.get("batch_id") or "",
        batch_slot=doc.get("batch_slot"),
    )


def redemption_doc(r: Redemption) -> Doc:
    return {
        "_id": f"{r.tenant_id}:{r.redemption_id}",
        "redemption_id": r.redemption_id,
        "tenant_id": r.tenant_id,
        "coupon_id": r.coupon_id,
        "code": r.code,
        "template_id": r.template_id,
        "member_id": r.member_id,
        "order_id": r.order_id,
        "total": _money(r.total),
        "currency": r.currency,
        "channel": r.channel,
        "store_id": r.store_id,
        "redeemed_at": r.redeemed_at,
        "remaining": r.remaining,
        "fingerprint": r.fingerprint,
    }


def redemption_from(doc: Doc) -> Redemption:
    return Redemption(
        redemption_id=doc["redemption_id"],
        tenant_id=doc["tenant_id"],
        coupon_id=doc["coupon_id"],
        code=doc["code"],
        template_id=doc["template_id"],
        member_id=doc.get("member_id") or "",
        order_id=doc.get("order_id") or "",
        total=decimal_or_none(doc.get("total")),
        currency=doc.get("currency") or "",
        channel=doc.get("channel") or "",
        store_id=doc.get("store_id") or "",
        redeemed_at=doc["redeemed_at"],
        remaining=int(doc.get("remaining") or 0),
        fingerprint=doc["fingerprint"],
    )
