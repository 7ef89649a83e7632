"""Following points.earned: holds of credited orders are confirmed, pending bonuses paid once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from services.campaign.campaigns.domain.audience import MemberAudience
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.reservations import Hold, LeaseGrant
from services.campaign.campaigns.domain.rules import (
    Campaign,
    Conditions,
    Effect,
    EffectType,
    Limits,
)
from services.campaign.campaigns.handlers.evaluation import EvaluateOrder, OrderEvaluator
from services.campaign.campaigns.handlers.purchase_bonus import PurchaseBonusSettler, SettlePurchase
from services.campaign.tests.reward_fakes import AT, FakeHolds, FakePoints

SHOES = Campaign(
    "c-shoes",
    "Double points on shoes",
    2,
    AT - timedelta(days=1),
    AT + timedelta(days=6),
    Conditions(categories=frozenset({"shoes"})),
    Effect(EffectType.MULTIPLIER, factor=Decimal(2)),
    limits=Limits(budget_points=1000),
    names=(("zh-CN", "鞋类双倍积分"),),
)
ORDER = EvaluateOrder(
    "demo",
    "m1",
    "gold",
    "pos",
    "S001",
    AT,
    "299.00",
    [("SHOE-1", "shoes", 1, "299.00", 299)],
    order_id="o1",
)
HOLD = "demo:o1:c-shoes"
WELCOME_COUPON = Campaign(
    "c-coupon",
    "A coupon with every order",
    1,
    AT - timedelta(days=1),
    AT + timedelta(days=6),
    Conditions(),
    Effect(EffectType.COUPON, template_id="tpl-1"),
)


@dataclass
class Active:
    campaigns: tuple[Campaign, ...] = (SHOES,)

    async def active_campaigns(self, tenant_id: str, trigger: Trigger) -> list[Campaign]:
        return list(self.campaigns) if trigger is Trigger.PURCHASE else []


class Consenting:
    async def member_audience(
        self, tenant_id: str, member_id: str, segment_ids: frozenset[str], consent: bool
    ) -> MemberAudience:
        return MemberAudience(marketing_consent=True)


@dataclass
class FakeSettled:
    """The inbox and the holds' confirmation, as one transaction commits them."""

    holds: FakeHolds
    claimed: set[str] = field(default_factory=set)
    lease_grants: list[tuple[str, LeaseGrant]] = field(default_factory=list)

    async def seen(
        self, consumer: str, event_id: str, *, tenant_id: str = "", order_id: str = ""
    ) -> bool:
        return event_id in self.claimed

    async def confirm(
        self,
        consumer: str,
        event_id: str,
        tenant_id: str,
        hold_ids: Sequence[str],
        *,
        member_id: str = "",
        lease_grants: Sequence[LeaseGrant] = (),
        day: str = "",
    ) -> bool:
        if event_id in self.claimed:
            return False
        self.claimed.add(event_id)
        self.lease_grants += [(member_id, grant) for grant in lease_grants]
        for hold_id in hold_ids:
            if hold_id not in self.holds.holds:
                continue
            member_id, points, state = self.holds.holds[hold_id]
            if state == "released" and self.holds.left is not None:
                self.holds.left -= points
            self.holds.holds[hold_id] = (member_id, points, "committed")
        return True


@dataclass
class FakeLeases:
    """This process's lease of the campaign's budget: `kept` points the holds cannot have
    until it is released; the orders' allotments."""

    holds: FakeHolds
    kept: int = 0
    allotted: dict[str, int] = field(default_factory=dict)
    refunded: list[str] = field(default_factory=list)

    def covers(self, campaign: Campaign) -> bool:
        return True

    async def reserve(
        self, tenant_id: str, order_id: str, campaign: Campaign, *, points: int, now: datetime
    ) -> Hold:
        raise AssertionError("a pending bonus is paid from holds")

    def confirmed(self, tenant_id: str, order_id: str) -> None:
        self.allotted.pop(order_id, None)

    async def refund(self, tenant_id: str, order_id: str) -> int:
        self.refunded.append(order_id)
        return self.allotted.pop(order_id, 0)

    async def release(self, tenant_id: str, campaign_id: str) -> bool:
        if not self.kept:
            return False
        assert self.holds.left is not None
        self.holds.left, self.kept = self.holds.left + self.kept, 0
        return True


@dataclass
class World:
    holds: FakeHolds = field(default_factory=lambda: FakeHolds(left=1000))
    points: FakePoints = field(default_factory=FakePoints)
    active: Active = field(default_factory=Active)
    leased: int | None = None

    def __post_init__(self) -> None:
        self.settled = FakeSettled(self.holds)
        evaluator = OrderEvaluator(self.active, self.holds, lambda: AT, Consenting())
        self.leases = None if self.leased is None else FakeLeases(self.holds, self.leased)
        self.settle = PurchaseBonusSettler(
            evaluator, self.holds, self.settled, self.points, leases=self.leases
        )


def pending(event_id: str = "ev1") -> SettlePurchase:
    return SettlePurchase(event_id, ORDER, credited_campaigns=(), bonus_pending=True)


async def test_a_pending_bonus_is_granted_for_the_order_and_its_hold_committed() -> None:
    world = World()

    paid = await world.settle(pending())

    assert paid == 299
    grant = world.points.paid["c-shoes:o1"]
    assert (grant.order_id, grant.member_id, grant.points) == ("o1", "m1", 299)
    assert world.holds.holds[HOLD][2] == "committed"
    assert world.holds.left == 1000 - 299
    assert (grant.reason, grant.reason_code) == ("Double points on shoes (v2)", "campaign_bonus")
    assert dict(grant.reason_params)["name.zh-CN"] == "鞋类双倍积分"


async def test_a_redelivered_event_grants_nothing_more() -> None:
    world = World()
    await world.settle(pending())

    again = await world.settle(pending())

    assert again == 0
    assert world.points.total("m1") == 299
    assert world.holds.left == 1000 - 299


async def test_a_failed_grant_releases_the_hold_and_raises_so_the_event_comes_again() -> None:
    world = World()
    world.points.fail_next = 1

    with pytest.raises(ConnectionError):
        await world.settle(pending())

    assert world.holds.holds[HOLD][2] == "released"
    assert world.holds.left == 1000
    assert await world.settle(pending()) == 299
    assert world.holds.left == 1000 - 299


async def test_the_hold_of_a_credited_bonus_the_sweep_released_is_taken_again() -> None:
    world = World()
    await world.holds.reserve("demo", "o1", "m1", SHOES, points=299, now=AT)
    await world.holds.settle("demo", HOLD, commit=False)  # the sweep, after a crash
    credited = SettlePurchase("ev2", ORDER, credited_campaigns=("c-shoes",), bonus_pending=False)

    assert await world.settle(credited) == 0

    assert world.holds.holds[HOLD][2] == "committed"
    assert world.holds.left == 1000 - 299
    assert world.points.paid == {}


async def test_an_order_credited_without_pending_bonus_asks_nothing_of_the_points_service() -> None:
    world = World()

    plain = SettlePurchase("ev3", ORDER, credited_campaigns=(), bonus_pending=False)

    assert await world.settle(plain) == 0
    assert world.points.paid == {}
    assert world.holds.holds == {}
    assert world.settled.claimed == set()


async def test_a_pending_order_keeps_its_coupon_hold_committed_for_the_coupon_to_be_issued() -> (
    None
):
    world = World(active=Active((SHOES, WELCOME_COUPON)))

    assert await world.settle(pending()) == 299

    assert world.holds.holds["demo:o1:c-coupon"][2] == "committed"
    assert list(world.points.paid) == ["c-shoes:o1"]


async def test_a_bonus_credited_from_a_lease_is_counted_with_the_event_claim_once() -> None:
    world = World(leased=0)
    assert world.leases is not None
    world.leases.allotted["o1"] = 299
    grant = LeaseGrant("c-shoes", "lse_1", 299)
    credited = SettlePurchase(
        "ev4", ORDER, credited_campaigns=(), bonus_pending=False, lease_grants=(grant,)
    )

    assert await world.settle(credited) == 0
    assert await world.settle(credited) == 0

    assert world.settled.lease_grants == [("m1", grant)]
    assert world.leases.allotted == {}
    assert world.points.paid == {}


async def test_a_pending_order_gives_its_allotment_back_and_takes_the_budget_its_lease_kept() -> (
    None
):
    world = World(holds=FakeHolds(left=0), leased=299)
    assert world.leases is not None
    world.leases.allotted["o1"] = 299

    assert await world.settle(pending()) == 299

    assert world.leases.refunded == ["o1"]
    assert (world.leases.kept, world.holds.left) == (0, 0)
    assert world.holds.holds[HOLD][2] == "committed"
