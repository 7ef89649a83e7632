"""What a report is asked with: its days, its filters, its format; and the settings' body."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query
from pydantic import BaseModel, Field

from gateway.edge.fields import Strict

DAY_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_ID = r"^[A-Za-z0-9._:-]+$"

FromDay = Annotated[
    str | None,
    Query(
        alias="from",
        pattern=DAY_PATTERN,
        description="First day (YYYY-MM-DD, the tenant's time zone); default 29 days before to",
        examples=["2026-11-01"],
    ),
]
ToDay = Annotated[
    str | None,
    Query(
        alias="to",
        pattern=DAY_PATTERN,
        description="Last day, included; default today in the tenant's time zone",
        examples=["2026-11-30"],
    ),
]
StoreFilter = Annotated[
    str | None,
    Query(max_length=64, pattern=_ID, description="Only this store (a store manager: theirs)"),
]
ChannelFilter = Annotated[
    Literal["pos", "ecommerce", "miniprogram", "app"] | None, Query(description="Only this channel")
]
TierFilter = Annotated[str | None, Query(max_length=64, pattern=_ID, description="Only this tier")]
Format = Annotated[
    Literal["json", "csv"] | None,
    Query(alias="format", description="csv: the report as text/csv (as `Accept: text/csv` does)"),
]


class AnalyticsSettingsBody(Strict):
    """`PUT /v1/admin/analytics/settings`: what one point is worth, in the tenant's currency."""

    point_value: Annotated[
        str,
        Field(
            pattern=r"^([0-9]{1,6}(\.[0-9]{1,6})?)?$",
            description='The money one point stands for; "" unsets it',
            examples=["0.01"],
        ),
    ]


BODY_MODELS: tuple[type[BaseModel], ...] = (AnalyticsSettingsBody,)
