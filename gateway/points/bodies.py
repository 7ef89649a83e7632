"""The request bodies of orders, returns and redemptions (API.md), as strict models."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import BaseModel, Field, StrictBool, model_validator
from pydantic_core import PydanticCustomError

from gateway.edge.fields import (
    Category,
    Currency,
    HoldSeconds,
    Instant,
    MemberId,
    Money,
    OrderId,
    Points,
    Quantity,
    Sku,
)
from gateway.members.models import LookupType, StoreId, Strict
from gateway.tenancy.keys import Channel


def _exactly_one(first: object, second: object, names: str) -> None:
    if (first is None) == (second is None):
        raise PydanticCustomError("exactly_one", f"give exactly one of {names}")


class OrderLineBody(Strict):
    sku: Sku
    category: Category
    quantity: Quantity
    unit_price: Money


class TillIdentity(Strict):
    """How a till names the member: any identity type, or `code` with the code the
    member's app shows (`GET /v1/members/{member_id}/code`, valid for 60 seconds)."""

    type: LookupType
    value: Annotated[str, Field(min_length=1, max_length=256)]


class OrderBody(Strict):
    """`POST /v1/orders`. The member by `member_id` or by `identity`, exactly one."""

    order_id: OrderId
    member_id: MemberId | None = None
    identity: TillIdentity | None = None
    channel: Channel | None = None
    store_id: StoreId | None = None
    occurred_at: Instant
    currency: Currency
    total: Money = Field(description="The amount paid; points are computed on it")
    lines: Annotated[list[OrderLineBody], Field(min_length=1, max_length=200)]

    @model_validator(mode="after")
    def _one_member_reference(self) -> Self:
        _exactly_one(self.member_id, self.identity, "member_id and identity")
        return self


class ReturnLineBody(Strict):
    sku: Sku
    quantity: Quantity


class ReturnBody(Strict):
    """`POST /v1/orders/{order_id}/returns`: the returned `lines` or an `amount`, exactly one."""

    return_id: OrderId
    lines: Annotated[list[ReturnLineBody], Field(min_length=1, max_length=200)] | None = None
    amount: Money | None = None

    @model_validator(mode="after")
    def _lines_or_amount(self) -> Self:
        _exactly_one(self.lines, self.amount, "lines and amount")
        return self


class RedemptionBody(Strict):
    """`POST /v1/redemptions`: hold points for a checkout, or redeem at once with `capture`."""

    member_id: MemberId
    points: Points
    order_id: OrderId | None = None
    channel: Channel | None = None
    store_id: StoreId | None = None
    hold_seconds: HoldSeconds = 900
    capture: StrictBool = False


BODY_MODELS: tuple[type[BaseModel], ...] = (OrderBody, ReturnBody, RedemptionBody)
