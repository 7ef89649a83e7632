"""EvaluateOrder: the tenant's active purchase campaigns, holds for each grant unless a dry run."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from libs.errors import InvalidArgument
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.reservations import Hold
from services.campaign.campaigns.domain.rules import (
    Campaign,
    Conditions,
    Effect,
    EffectType,
    Limits,
)
from services.campaign.campaigns.handlers.evaluation import EvaluateOrder, OrderEvaluator
from services.campaign.tests.reward_fakes import FakeHolds

AT = datetime(2026, 11, 25, 2, 15, tzinfo=UTC)
SHOES = Campaign(
    "c-shoes",
    "Double points on shoes",
    2,
    AT - timedelta(days=1),
    AT + timedelta(days=6),
    Conditions(categories=frozenset({"shoes"})),
    Effect(EffectType.MULTIPLIER, factor=Decimal(2)),
    limits=Limits(budget_points=1000, per_member=3),
)
ORDER = EvaluateOrder(
    "demo",
    "m1",
    "gold",
    "pos",
    "S001",
    AT,
    "398.00",
    [("SHOE-1", "shoes", 1, "299.00", 299)],
    order_id="o1",
)


class Active:
    async def active_campaigns(self, tenant_id: str, trigger: Trigger) -> list[Campaign]:
        return [SHOES] if (tenant_id, trigger) == ("demo", Trigger.PURCHASE) else []


def an_evaluator(reservations: FakeHolds) -> OrderEvaluator:
    return OrderEvaluator(Active(), reservations, lambda: AT)


async def test_a_grant_holds_its_points_and_names_the_reservation() -> None:
    reservations = FakeHolds()
    [granted], skipped = await an_evaluator(reservations).evaluate(ORDER)
    assert (granted.applied.points, granted.reservation_id) == (299, "demo:o1:c-shoes")
    assert reservations.holds == {"demo:o1:c-shoes": (ORDER.member_id, 299, "reserved")}
    assert skipped == []


async def test_a_dry_run_holds_nothing() -> None:
    reservations = FakeHolds()
    [granted], _ = await an_evaluator(reservations).evaluate(replace(ORDER, dry_run=True))
    assert (granted.applied.points, granted.reservation_id) == (299, "")
    assert reservations.holds == {}


async def test_the_last_grant_takes_what_is_left_of_the_budget_and_then_none() -> None:
    reservations = FakeHolds(left=100)
    [granted], _ = await an_evaluator(reservations).evaluate(ORDER)
    assert granted.applied.points == 100
    granted_after, skipped = await an_evaluator(reservations).evaluate(
        replace(ORDER, order_id="o2")
    )
    assert granted_after == []
    assert [s.reason for s in skipped] == ["budget_exhausted"]


async def test_another_tenant_sees_none_of_the_campaigns() -> None:
    assert await an_evaluator(FakeHolds()).evaluate(replace(ORDER, tenant_id="x")) == (
        [],
        [],
    )


@pytest.mark.parametrize(
    ("change", "field_name"),
    [
        ({"total": "lots"}, "total"),
        ({"occurred_at": None}, "occurred_at"),
        ({"order_id": ""}, "order_id"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ],
)
async def test_a_bad_order_is_refused_naming_the_field(
    change: dict[str, object], field_name: str
) -> None:
    reservations = FakeHolds()
    with pytest.raises(InvalidArgument, match=field_name):
        await an_evaluator(reservations).evaluate(replace(ORDER, **change))  # type: ignore[arg-type]
    assert reservations.holds == {}


class Leased:
    """A lease of 1,000 points for campaigns without a per-member limit."""

    def __init__(self) -> None:
        self.left = 1000

    def covers(self, campaign: Campaign) -> bool:
        return campaign.limits.per_member is None

    async def reserve(
        self, tenant_id: str, order_id: str, campaign: Campaign, *, points: int, now: datetime
    ) -> Hold:
        taken = min(points, self.left)
        self.left -= taken
        return Hold("lse_1", taken, "" if taken else "budget_exhausted")

    def confirmed(self, tenant_id: str, order_id: str) -> None: ...

    async def refund(self, tenant_id: str, order_id: str) -> int:
        return 0

    async def release(self, tenant_id: str, campaign_id: str) -> bool:
        return False


async def test_a_grant_without_a_per_member_limit_comes_from_the_lease_with_no_hold() -> None:
    holds, leases = FakeHolds(), Leased()
    unlimited = replace(SHOES, limits=Limits(budget_points=1000))

    class OnlyUnlimited:
        async def active_campaigns(self, tenant_id: str, trigger: Trigger) -> list[Campaign]:
            return [unlimited]

    evaluator = OrderEvaluator(OnlyUnlimited(), holds, lambda: AT, leases=leases)
    [granted], _ = await evaluator.evaluate(ORDER)

    assert (granted.applied.points, granted.reservation_id) == (299, "lse_1")
    assert (holds.holds, leases.left) == ({}, 701)


async def test_a_grant_under_a_per_member_limit_still_holds_per_order() -> None:
    holds, leases = FakeHolds(), Leased()
    evaluator = OrderEvaluator(Active(), holds, lambda: AT, leases=leases)

    [granted], _ = await evaluator.evaluate(ORDER)

    assert granted.reservation_id == "demo:o1:c-shoes"
    assert leases.left == 1000
