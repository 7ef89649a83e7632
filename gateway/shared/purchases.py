"""How a till names a purchase's lines and its member, in every body that carries a sale
(orders, carts, coupon checks, campaign dry runs)."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from gateway.access.touchpoints import Touchpoint
from gateway.edge.fields import (
    Category,
    Currency,
    Instant,
    LookupType,
    MemberId,
    Money,
    OrderId,
    Quantity,
    Sku,
    StoreId,
    Strict,
)
from gateway.tenancy.keys import Channel
from libs.timestamps import timestamp
from loyalty.points.v1 import points_pb2 as pb


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


def _exactly_one(first: object, second: object, names: str) -> None:
    if (first is None) == (second is None):
        raise PydanticCustomError("exactly_one", f"give exactly one of {names}")


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


def accrue_request(
    body: OrderBody, *, tenant_id: str, at: Touchpoint, member: pb.MemberContext
) -> pb.AccrueOrderRequest:
    """Money goes on as the decimal string the till sent, never through a float."""
    return pb.AccrueOrderRequest(
        tenant_id=tenant_id,
        member=member,
        order_id=body.order_id,
        channel=at.channel,
        store_id=at.store_id or "",
        occurred_at=timestamp(body.occurred_at),
        currency=body.currency,
        total=str(body.total),
        lines=[
            pb.OrderLine(
                sku=line.sku,
                category=line.category,
                quantity=line.quantity,
                unit_price=str(line.unit_price),
            )
            for line in body.lines
        ],
    )
