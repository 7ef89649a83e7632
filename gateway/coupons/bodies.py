"""The request bodies of the coupon endpoints, as strict models:
unknown fields are refused, money is a decimal string, each discount kind has its shape."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator
from pydantic_core import PydanticCustomError

from gateway.edge.fields import Currency, Instant, MemberId, Money, OrderId, Sku, StoreId, Strict
from gateway.edge.languages import TRANSLATIONS_DESCRIPTION, LanguageTag
from gateway.shared.purchases import TillIdentity
from gateway.tenancy.keys import Channel
from libs.languages import MAX_LOCALES

Name = Annotated[str, Field(min_length=1, max_length=200)]
TemplateId = Annotated[str, Field(min_length=1, max_length=64)]
CouponCode = Annotated[
    str,
    Field(
        min_length=4,
        max_length=64,
        pattern=r"^[A-Za-z0-9 -]+$",
        description="As printed or typed: case, spaces and dashes do not matter",
    ),
]
_TEMPLATE: dict[str, Any] = {
    "name": "CNY 20 off CNY 200",
    "discount": {"kind": "amount_off", "amount": "20.00", "currency": "CNY"},
    "min_total": "200.00",
    "validity": {"days": 30},
}
_PURCHASE: dict[str, Any] = {
    "member_id": "mem_01EXAMPLE",
    "channel": "pos",
    "store_id": "S001",
    "order_id": "POS-S001-000123",
    "currency": "CNY",
    "total": "398.00",
}


class AmountOff(Strict):
    kind: Literal["amount_off"]
    amount: Money
    currency: Currency


class PercentOff(Strict):
    kind: Literal["percent_off"]
    percent: Annotated[StrictInt, Field(ge=1, le=100)]


class FreeItem(Strict):
    kind: Literal["free_item"]
    sku: Sku


DiscountBody = Annotated[AmountOff | PercentOff | FreeItem, Field(discriminator="kind")]


class ValidityBody(Strict):
    """A fixed window (`starts_at`, `ends_at`), or `days` after issue (capped by `ends_at`
    when both are given)."""

    starts_at: Instant | None = None
    ends_at: Instant | None = None
    days: Annotated[StrictInt, Field(ge=1, le=3660)] | None = None


class TemplateTextsBody(Strict):
    """A coupon template's texts in one other language; a field left out reads as typed."""

    name: Name | None = None
    description: Annotated[str, Field(min_length=1, max_length=1000)] | None = None


class CouponTemplateBody(Strict):
    """`POST /v1/admin/coupon-templates`. The till applies the discount; the platform
    validates and records each use."""

    model_config = ConfigDict(json_schema_extra={"examples": [_TEMPLATE]})

    name: Name
    description: Annotated[str, Field(max_length=1000)] = ""
    discount: DiscountBody
    min_total: Money | None = None
    validity: ValidityBody = ValidityBody()
    max_redemptions: Annotated[StrictInt, Field(ge=1, le=1000)] = Field(
        1, description="How often one coupon may be used"
    )
    translations: Annotated[dict[LanguageTag, TemplateTextsBody], Field(max_length=MAX_LOCALES)] = (
        Field(default_factory=dict, description=TRANSLATIONS_DESCRIPTION)
    )


class GenerateCouponsBody(Strict):
    """Bearer codes of the template, one batch: whoever holds a code may use it."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"count": 10000}]})

    count: Annotated[StrictInt, Field(ge=1, le=100_000)]


class PublicCodeBody(Strict):
    """One code for many shoppers: at most `usage_limit` uses in all and
    `per_member_limit` per member (a member must then be named to use it)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"code": "WELCOME10", "usage_limit": 5000, "per_member_limit": 1}]
        }
    )

    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{4,32}$")] | None = Field(
        None, description="Your own code; drawn at random when absent"
    )
    usage_limit: Annotated[StrictInt, Field(ge=1, le=10**9)]
    per_member_limit: Annotated[StrictInt, Field(ge=1, le=1000)] | None = None


class IssueCouponBody(Strict):
    """`POST /v1/admin/members/{member_id}/coupons`: the same `issue_key` again answers the
    coupon issued first."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"template_id": "ctp_01EXAMPLE", "issue_key": "apology-2026-11-25"}]
        }
    )

    template_id: TemplateId
    issue_key: Annotated[str, Field(min_length=1, max_length=128)] | None = None


class CouponPurchaseBody(Strict):
    """Who uses the code (a member by id or identity, or nobody for a bearer code) and the
    sale it is for; `total` and `currency`, when given, are checked against the minimum."""

    code: CouponCode
    member_id: MemberId | None = None
    identity: TillIdentity | None = None
    channel: Channel | None = None
    store_id: StoreId | None = None
    order_id: OrderId | None = None
    currency: Currency | None = None
    total: Money | None = None

    @model_validator(mode="after")
    def _one_member_reference(self) -> Self:
        if self.member_id is not None and self.identity is not None:
            raise PydanticCustomError("at_most_one", "give member_id or identity, not both")
        return self


class ValidateCouponBody(CouponPurchaseBody):
    """`POST /v1/coupons/validate`: changes nothing."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"code": "K7M2-QX9P-LD4A", **_PURCHASE}]}
    )


class RedeemCouponBody(CouponPurchaseBody):
    """`POST /v1/coupons/redeem`: `redemption_id` makes it happen once; the same id again
    answers the first redemption."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"redemption_id": "S001-T3-000123-1", "code": "K7M2-QX9P-LD4A", **_PURCHASE}
            ]
        }
    )

    redemption_id: OrderId


BODY_MODELS: tuple[type[BaseModel], ...] = (
    CouponTemplateBody,
    GenerateCouponsBody,
    PublicCodeBody,
    IssueCouponBody,
    ValidateCouponBody,
    RedeemCouponBody,
)
