"""Accruing an order through the handler: credited once, with or without the campaign bonus."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from libs.clock import FakeClock
from libs.errors import FailedPrecondition, InvalidArgument
from loyalty.points.v1 import events_pb2
from services.points.adapters.events.points import to_outbox
from services.points.domain.accrual import CampaignBonus, Source
from services.points.domain.campaign_results import CampaignAnswer
from services.points.domain.errors import OrderConflict
from services.points.domain.events import PointsEarned
from services.points.domain.ledger import EntryType
from services.points.domain.ports import Evaluation
from services.points.handlers.commands import AccrueLine, AccrueOrder
from services.points.handlers.earning import accrue_order
from services.points.tests.fakes import FakeCampaigns, FakeUnitOfWork
from services.points.tests.unit.conftest import TENANT

SHOES = CampaignBonus("c-shoes", 2, 299, "Double points on shoes")


def an_order(clock: FakeClock, order_id: str = "POS-S001-1", total: str = "398.00") -> AccrueOrder:
    return AccrueOrder(
        tenant_id=TENANT,
        order_id=order_id,
        member_id="m1",
        channel="pos",
        store_id="S001",
        occurred_at=clock.now - timedelta(minutes=1),
        currency="CNY",
        total=total,
        lines=[
            AccrueLine("SHOE-1", "shoes", 1, "299.00"),
            AccrueLine("SOCK-2", "accessories", 1, "99.00"),
        ],
        tier_code="silver",
        tier_name="Silver",
        tier_multiplier="1.25",
    )


async def test_an_order_earns_base_tier_and_campaign_points_in_one_lot(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    answer = await accrue_order(an_order(clock), uow, FakeCampaigns(SHOES), clock)
    accrual = answer.accrual
    assert not answer.replayed
    assert [(line.source, line.points) for line in accrual.breakdown] == [
        (Source.BASE, 398),
        (Source.TIER, 99),
        (Source.CAMPAIGN, 299),
    ]
    assert (accrual.points_earned, accrual.bonus_pending) == (796, False)
    assert (accrual.balance.available, accrual.balance.lifetime_earned) == (796, 796)
    [entry] = entries = uow.state.entries[(TENANT, "m1")]
    assert (entry.type, entry.points, entry.order_id) == (EntryType.EARN, 796, "POS-S001-1")
    assert [(p.type, p.points) for p in entry.parts] == [
        (EntryType.EARN, 398),
        (EntryType.EARN, 99),
        (EntryType.BONUS, 299),
    ]
    assert [lot.earned for lot in uow.state.wallets[(TENANT, "m1")].lots] == [796]
    [event] = uow.published
    assert isinstance(event, PointsEarned)
    # the event names the ledger's rows, as GET .../points/ledger shows them
    rows = (entry.entry_id, f"{entry.entry_id}.1", f"{entry.entry_id}.2")
    assert (event.points, event.entry_ids, len(entries)) == (796, rows, 1)


async def test_the_campaign_service_sees_each_lines_share_of_the_amount_paid(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    campaigns = FakeCampaigns()
    await accrue_order(an_order(clock, total="199.00"), uow, campaigns, clock)
    [asked] = campaigns.asked
    assert isinstance(asked, Evaluation)
    assert [(line.sku, str(line.amount), line.base_points) for line in asked.priced.lines] == [
        ("SHOE-1", "149.50", 150),
        ("SOCK-2", "49.50", 49),
    ]


async def test_a_retried_order_answers_the_same_and_credits_nothing(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    campaigns = FakeCampaigns(SHOES)
    order = an_order(clock)
    first = await accrue_order(order, uow, campaigns, clock)
    clock.advance(seconds=30)
    again = await accrue_order(order, uow, campaigns, clock)
    assert again.replayed
    assert again.accrual == first.accrual
    assert uow.ledger_sum(TENANT, "m1") == 796
    # No read of the order first: the retry is refused by the order's unique key.
    assert len(uow.state.entries[(TENANT, "m1")]) == 1
    assert len(uow.published) == 1


async def test_the_same_order_id_with_another_body_is_an_order_conflict(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await accrue_order(an_order(clock), uow, FakeCampaigns(), clock)
    with pytest.raises(OrderConflict) as caught:
        await accrue_order(an_order(clock, total="399.00"), uow, FakeCampaigns(), clock)
    assert caught.value.code == "order_conflict"
    assert uow.ledger_sum(TENANT, "m1") == 497


async def test_an_order_racing_its_own_duplicate_replays_the_winner(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    class DuplicateArrivesMeanwhile(FakeCampaigns):
        async def evaluate(self, evaluation: Evaluation) -> CampaignAnswer:
            if not self.asked:
                self.asked.append(evaluation)
                await accrue_order(an_order(clock), uow, FakeCampaigns(), clock)
            return CampaignAnswer()

    answer = await accrue_order(an_order(clock), uow, DuplicateArrivesMeanwhile(), clock)
    assert answer.replayed
    assert uow.ledger_sum(TENANT, "m1") == 497


async def test_without_a_campaign_answer_base_and_tier_are_credited_and_the_bonus_is_pending(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    answer = await accrue_order(an_order(clock), uow, FakeCampaigns(SHOES, down=True), clock)
    assert (answer.accrual.points_earned, answer.accrual.bonus_pending) == (497, True)
    assert uow.state.orders[(TENANT, "POS-S001-1")].bonus_pending
    [event] = uow.published
    assert isinstance(event, PointsEarned)
    assert event.bonus_pending


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"total": "12,50"}, "total"),
        ({"order_id": ""}, "order_id"),
        ({"member_id": ""}, "member.member_id"),
        ({"channel": "fax"}, "channel"),
        ({"store_id": ""}, "store_id"),
        ({"occurred_at": None}, "occurred_at"),
        ({"lines": [AccrueLine("SHOE-1", "shoes", 0, "1.00")]}, "lines[0].quantity"),
        ({"lines": [AccrueLine("SHOE-1", "shoes", 1, "-1")]}, "lines[0].unit_price"),
        ({"tier_multiplier": "double"}, "member.tier_multiplier"),
        ({"currency": "usd"}, "currency"),
    ],
)
async def test_a_malformed_order_is_refused_naming_the_field_and_changes_nothing(
    uow: FakeUnitOfWork, clock: FakeClock, change: dict[str, object], field: str
) -> None:
    campaigns = FakeCampaigns()
    bad = dataclasses.replace(an_order(clock), **change)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument) as caught:
        await accrue_order(bad, uow, campaigns, clock)
    assert caught.value.message.startswith(f"{field}:")
    assert (uow.state.orders, uow.published, campaigns.asked) == ({}, [], [])


async def test_an_order_from_the_future_is_refused(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    late = dataclasses.replace(an_order(clock), occurred_at=clock.now + timedelta(minutes=6))
    with pytest.raises(InvalidArgument, match="occurred_at"):
        await accrue_order(late, uow, FakeCampaigns(), clock)


async def test_a_tenant_without_an_earning_rule_cannot_accrue(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    other = dataclasses.replace(an_order(clock), tenant_id="sandbox")
    with pytest.raises(FailedPrecondition) as caught:
        await accrue_order(other, uow, FakeCampaigns(), clock)
    assert caught.value.code == "earning_rule_not_found"


async def test_the_event_names_the_coupon_campaigns_whose_holds_the_order_kept(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    coupon = CampaignBonus("c-coupon", 1, 0, "A coupon for the next visit", "hold-c")
    await accrue_order(an_order(clock), uow, FakeCampaigns(SHOES, coupon), clock)

    [event] = uow.published
    assert isinstance(event, PointsEarned)
    assert event.coupon_campaign_ids == ("c-coupon",)
    assert [line.campaign_id for line in event.breakdown if line.source is Source.CAMPAIGN] == [
        "c-shoes"
    ]


async def test_the_event_names_each_points_bonus_with_the_budget_it_was_held_from(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    leased = dataclasses.replace(SHOES, reservation_id="lse_1")
    coupon = CampaignBonus("c-coupon", 1, 0, "A coupon for the next visit", "hold-c")
    await accrue_order(an_order(clock), uow, FakeCampaigns(leased, coupon), clock)

    [event] = uow.published
    assert isinstance(event, PointsEarned)
    assert event.campaign_bonuses == (leased,)


async def test_points_earned_carries_each_bonus_hold_on_the_wire(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    leased = dataclasses.replace(SHOES, reservation_id="lse_1")
    await accrue_order(an_order(clock), uow, FakeCampaigns(leased), clock)

    [event] = uow.published
    message = events_pb2.PointsEarned.FromString(to_outbox(event).payload)
    assert [(h.campaign_id, h.reservation_id, h.points) for h in message.campaign_holds] == [
        ("c-shoes", "lse_1", 299)
    ]
