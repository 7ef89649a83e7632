"""The body of `POST /v1/carts/evaluate`, as a strict model."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from gateway.edge.fields import Currency, Instant, MemberId, Money, StoreId, Strict
from gateway.shared.purchases import OrderLineBody, TillIdentity
from gateway.tenancy.keys import Channel


class CartBody(Strict):
    """`POST /v1/carts/evaluate`: a cart as `POST /v1/orders` would send it, without an
    order id; the member by `member_id` or `identity`, exactly one."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "member_id": "mem_01EXAMPLE",
                    "channel": "pos",
                    "store_id": "S001",
                    "currency": "CNY",
                    "total": "398.00",
                    "lines": [
                        {
                            "sku": "SHOE-1",
                            "category": "shoes",
                            "quantity": 1,
                            "unit_price": "299.00",
                        },
                        {
                            "sku": "SOCK-2",
                            "category": "accessories",
                            "quantity": 1,
                            "unit_price": "99.00",
                        },
                    ],
                }
            ]
        }
    )

    member_id: MemberId | None = None
    identity: TillIdentity | None = None
    channel: Channel | None = None
    store_id: StoreId | None = None
    occurred_at: Instant | None = Field(None, description="Now when absent")
    currency: Currency
    total: Money
    lines: Annotated[list[OrderLineBody], Field(min_length=1, max_length=200)]

    @model_validator(mode="after")
    def _one_member_reference(self) -> Self:
        if (self.member_id is None) == (self.identity is None):
            raise PydanticCustomError("exactly_one", "give exactly one of member_id and identity")
        return self


BODY_MODELS: tuple[type[BaseModel], ...] = (CartBody,)
