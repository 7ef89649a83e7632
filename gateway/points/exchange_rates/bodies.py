"""What operators send to set a rate."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from gateway.edge.fields import Instant, Strict

RATE_PATTERN = r"^[0-9]{1,9}(\.[0-9]{1,10})?$"
Rate = Annotated[
    str,
    Field(
        pattern=RATE_PATTERN,
        examples=["7.1234"],
        description="Units of the base currency for one unit of the currency, a decimal "
        "string above 0 with at most 10 decimal places",
    ),
]


class ExchangeRateBody(Strict):
    """`PUT /v1/admin/exchange-rates/{currency}`: the rate valid from `valid_from` (a rate
    of that currency and `valid_from` already there is replaced)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"valid_from": "2026-12-01T00:00:00+08:00", "rate": "7.1234"}]
        }
    )

    valid_from: Instant
    rate: Rate


BODY_MODELS: tuple[type[BaseModel], ...] = (ExchangeRateBody,)
