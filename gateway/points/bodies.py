"""The request bodies of orders, returns and redemptions (docs/api.md), as strict models."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import BaseModel, Field, StrictBool, model_validator

from gateway.edge.fields import (
    HoldSeconds,
    MemberId,
    Money,
    OrderId,
    Points,
    Quantity,
    Sku,
    StoreId,
    Strict,
)
from gateway.shared.purchases import OrderBody, _exactly_one
from gateway.tenancy.keys import Channel


class ReturnLineBody(Strict):
    sku: Sku
    quantity: Quantity


class ReturnBody(Strict):
    """`POST /v1/orders/{order_id}/returns`: the returned `lines` or an `amount`, exactly one."""

    return_id: OrderId
    lines: Annotated[list[ReturnLineBody], Field(min_length=1, max_length=200)] | None = None
    amount: Money | None = None
    channel: Channel | None = None
    store_id: StoreId | None = None

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
