"""The reports' answers. Points are integers, money decimal strings in the tenant's
currency, days YYYY-MM-DD in the tenant's time zone; no member is ever named."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Range(BaseModel):
    from_day: str = Field(serialization_alias="from")
    to_day: str = Field(serialization_alias="to")


class Enrolments(BaseModel):
    day: str
    channel: str
    store_id: str
    members: int


class PointsOfADay(BaseModel):
    day: str
    issued: int = Field(description="earned by orders and granted as rewards")
    redeemed: int = Field(description="captured redemptions, less those cancelled")
    expired: int
    reversed: int = Field(description="taken back by returns")


class ActiveMembers(BaseModel):
    as_of: str = Field(description="the windows end with this day")
    last_30_days: int
    last_90_days: int
    last_365_days: int


class TierOfADay(BaseModel):
    day: str
    tier: str
    members: int


class OverviewOut(BaseModel):
    range: Range
    enrolments: list[Enrolments]
    points: list[PointsOfADay]
    active_members: ActiveMembers
    tiers: list[TierOfADay] = Field(description="members in each tier at each day's end")


class ExpiringOut(BaseModel):
    days: int
    points: int


class BreakageOut(BaseModel):
    days: int = Field(description="the trailing window, ending with as_of")
    issued: int
    expired: int
    rate: str | None = Field(description="expired ÷ issued, 4 places; null when none issued")


class LiabilityOut(BaseModel):
    as_of: str
    available: int
    held: int
    pending: int
    outstanding: int = Field(description="available + held + pending")
    point_value: str | None = Field(description="null until PUT /v1/admin/analytics/settings")
    currency: str | None
    outstanding_value: str | None
    expiring: list[ExpiringOut]
    breakage: list[BreakageOut]
    members: int = Field(description="members with a wallet (erased ones counted)")


class SalesFigures(BaseModel):
    orders: int
    gross: str
    returned: str
    net: str = Field(description="gross less returned")
    quantity: int
    returned_quantity: int


class SalesRow(BaseModel):
    store_id: str | None = None
    channel: str | None = None
    category: str | None = None
    sku: str | None = None
    tier: str | None = None
    orders: int | None = Field(default=None, description="by category and SKU: not counted")
    gross: str
    returned: str
    net: str
    quantity: int
    returned_quantity: int
    average_order_value: str | None = None


class SalesOut(BaseModel):
    range: Range
    currency: str | None
    total: SalesFigures
    by_store: list[SalesRow]
    by_channel: list[SalesRow]
    by_category: list[SalesRow]
    by_sku: list[SalesRow]
    by_tier: list[SalesRow]


class AnalyticsSettingsOut(BaseModel):
    point_value: str = Field(description='"" when none is set')
    currency: str | None
