"""A tenant's points settings over HTTP: its earning rule, expiry policy, time zone and
what it allows (adjustment debt, transfers, returns beyond the balance)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, StrictBool, StrictInt

from gateway.edge.fields import Category, Currency, Sku, Strict
from gateway.edge.problems import validation_problem
from loyalty.points.v1 import points_pb2 as pb

ExpiryPolicy = Literal["never", "days_after_earning", "end_of_month", "months_after_earning"]


def _known_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("an IANA time zone such as Asia/Shanghai") from None
    return name


class PointsSettingsBody(Strict):
    """`PUT /v1/admin/points/settings`: replaces the tenant's settings as a new version."""

    currency: Currency
    points_per_unit: Annotated[
        str, Field(pattern=r"^[0-9]{1,4}(\.[0-9]{1,4})?$", examples=["1", "0.5"])
    ] = "1"
    rounding: Literal["floor", "half_up", "ceiling"] = "floor"
    excluded_categories: Annotated[list[Category], Field(max_length=200)] = []
    excluded_skus: Annotated[list[Sku], Field(max_length=1000)] = []
    expiry_policy: ExpiryPolicy = Field(
        default="never",
        description="days_after_earning uses expiry_days; end_of_month is the last day, in "
        "time_zone, of the month expiry_months after the month of earning",
    )
    expiry_days: Annotated[StrictInt, Field(ge=0, le=3650)] = 0
    expiry_months: Annotated[StrictInt, Field(ge=0, le=120)] = 0
    pending_days: Annotated[StrictInt, Field(ge=0, le=365)] = 0
    time_zone: Annotated[str, Field(max_length=64), AfterValidator(_known_zone)] = "UTC"
    transfer_limit_per_day: Annotated[
        StrictInt, Field(ge=0, le=10**9, description="0: members may not transfer")
    ] = 0
    allow_adjustment_debt: StrictBool = False
    return_shortfall: Literal["debt", "cap_at_zero"] = Field(
        default="debt",
        description="A return of points already spent: a debt the next points pay, or the "
        "balance stops at zero and the rest is the return's shortfall",
    )


class PointsSettingsOut(PointsSettingsBody):
    version: int


def check_policy(body: PointsSettingsBody) -> None:
    """The number the expiry policy needs (422 naming it)."""
    missing = None
    if body.expiry_policy == "days_after_earning" and body.expiry_days < 1:
        missing = ("expiry_days", "at least 1 for days_after_earning")
    elif body.expiry_policy == "months_after_earning" and body.expiry_months < 1:
        missing = ("expiry_months", "at least 1 for months_after_earning")
    if missing is not None:
        raise validation_problem([{"loc": ("body", missing[0]), "msg": missing[1]}])


def rule_from_body(body: PointsSettingsBody) -> pb.EarningRule:
    return pb.EarningRule(
        currency=body.currency,
        points_per_unit=body.points_per_unit,
        rounding=body.rounding,
        excluded_categories=body.excluded_categories,
        excluded_skus=body.excluded_skus,
        expiry_months=body.expiry_months,
        pending_days=body.pending_days,
        allow_adjustment_debt=body.allow_adjustment_debt,
        transfer_limit_per_day=body.transfer_limit_per_day,
        time_zone=body.time_zone,
        expiry_policy=body.expiry_policy,
        expiry_days=body.expiry_days,
        return_shortfall=body.return_shortfall,
    )


def settings_from_rule(rule: pb.EarningRule) -> PointsSettingsOut:
    return PointsSettingsOut(
        currency=rule.currency,
        points_per_unit=format(Decimal(rule.points_per_unit).normalize(), "f"),
        rounding=rule.rounding or "floor",
        excluded_categories=list(rule.excluded_categories),
        excluded_skus=list(rule.excluded_skus),
        expiry_policy=rule.expiry_policy or "never",
        expiry_days=rule.expiry_days,
        expiry_months=rule.expiry_months,
        pending_days=rule.pending_days,
        time_zone=rule.time_zone or "UTC",
        transfer_limit_per_day=rule.transfer_limit_per_day,
        allow_adjustment_debt=rule.allow_adjustment_debt,
        return_shortfall=rule.return_shortfall or "debt",
        version=rule.version,
    )
