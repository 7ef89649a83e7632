"""The request bodies of segments, dry runs and backtests, as strict models."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StrictBool, StrictInt

from gateway.edge.fields import Instant, MemberId, Money, StoreId, Strict
from gateway.shared.purchases import OrderLineBody

Name = Annotated[str, Field(min_length=1, max_length=200)]
Code = Annotated[str, Field(min_length=1, max_length=64)]
Days = Annotated[StrictInt, Field(ge=1, le=3660)]
Channel = Literal["pos", "ecommerce", "miniprogram", "app"]

_RULES_EXAMPLE: dict[str, JsonValue] = {
    "tiers": ["gold"],
    "marketing_consent": True,
    "recency_days": 30,
    "window_days": 90,
    "min_orders": 2,
    "min_spend": "500.00",
}


class SegmentRulesBody(Strict):
    """Every rule optional, all must hold; a list means "any of". Frequency and monetary
    value count the purchases within `window_days` (returns deducted); each has a lower and
    an upper bound, and recency a band (`recency_days`, `min_days_since_purchase`), so an
    RFM cell is a segment."""

    tiers: Annotated[list[Code], Field(max_length=50)] = []
    channels: Annotated[
        list[Channel], Field(max_length=4, description="Where the member enrolled")
    ] = []
    store_ids: Annotated[
        list[StoreId], Field(max_length=500, description="The store they enrolled at")
    ] = []
    marketing_consent: StrictBool = Field(False, description="Only members who consented")
    recency_days: Days | None = Field(None, description="Bought within the last N days")
    window_days: Days | None = Field(None, description="The window of min_orders and min_spend")
    min_orders: Annotated[StrictInt, Field(ge=1, le=10**6)] | None = None
    min_spend: Money | None = None
    min_days_since_purchase: Days | None = Field(
        None, description="Not bought within the last N days (never bought counts too)"
    )
    max_orders: Annotated[StrictInt, Field(ge=0, le=10**6)] | None = Field(
        None, description="At most this many orders within window_days"
    )
    max_spend: Money | None = Field(
        None, description="At most this much spend (returns deducted) within window_days"
    )
    profiling_consent: StrictBool = Field(
        False, description="Only members who did not refuse profiling (as the RFM report)"
    )


class SegmentBody(Strict):
    """`POST /v1/admin/segments` and `PUT /v1/admin/segments/{id}`."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "Gold regulars", "rules": _RULES_EXAMPLE}]}
    )

    name: Name
    rules: SegmentRulesBody = SegmentRulesBody()


class SegmentPreviewBody(Strict):
    """`POST /v1/admin/segments/preview`: the rules to count, nothing saved."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"rules": _RULES_EXAMPLE}]})

    rules: SegmentRulesBody = SegmentRulesBody()


Score = Annotated[StrictInt, Field(ge=1, le=5)]


class RfmSegmentBody(Strict):
    """`POST /v1/admin/analytics/rfm/segments`: one cell of the RFM grid, made a segment."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "recency": 5,
                    "frequency": 4,
                    "monetary": 3,
                    "window_days": 365,
                    "name": "RFM R5 F4 M3",
                }
            ]
        }
    )

    recency: Score
    frequency: Score
    monetary: Score
    window_days: Days = Field(
        description="The range's length in days (the RFM report's `from` to `to`, inclusive)"
    )
    name: Name | None = Field(None, description='"RFM R5 F4 M3" when not given')


class DryRunBody(Strict):
    """A cart as a till would send it, for one member; nothing is reserved or granted."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "member_id": "mem_0123456789abcdef",
                    "channel": "pos",
                    "store_id": "S001",
                    "occurred_at": "2026-11-28T10:15:00+08:00",
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

    member_id: MemberId
    channel: Channel
    store_id: StoreId | None = None
    occurred_at: Instant | None = Field(None, description="Now when not given")
    total: Money
    lines: Annotated[list[OrderLineBody], Field(max_length=500)] = []


class BacktestBody(Strict):
    """How many days of the tenant's purchases to replay, up to a year."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"days": 30}]})

    days: Annotated[StrictInt, Field(ge=1, le=366)] = 30


BODY_MODELS: tuple[type[BaseModel], ...] = (
    SegmentBody,
    SegmentPreviewBody,
    RfmSegmentBody,
    DryRunBody,
    BacktestBody,
)
