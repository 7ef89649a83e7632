"""The campaigns' holds on their budgets are committed once the order is credited, and
released when it is not."""

from __future__ import annotations

import pytest

from libs.clock import FakeClock
from services.points.domain.accrual import CampaignBonus
from services.points.handlers.earning import accrue_order
from services.points.tests.fakes import FakeCampaigns, FakeUnitOfWork
from services.points.tests.unit.test_accrue_order import an_order

HELD = CampaignBonus("c-shoes", 2, 299, "Double points on shoes", reservation_id="h1")


async def test_a_credited_order_commits_its_campaign_holds(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    campaigns = FakeCampaigns(HELD)
    await accrue_order(an_order(clock), uow, campaigns, clock)
    assert campaigns.settled == [("POS-S001-1", ["h1"], True)]


async def test_an_order_whose_transaction_fails_releases_its_campaign_holds(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    campaigns = FakeCampaigns(HELD)

    async def broken(work: object) -> object:
        raise RuntimeError("the database went away")

    uow.transaction = broken  # type: ignore[method-assign,assignment]
    with pytest.raises(RuntimeError):
        await accrue_order(an_order(clock), uow, campaigns, clock)
    assert campaigns.settled == [("POS-S001-1", ["h1"], False)]


async def test_a_replayed_order_keeps_the_holds_of_what_it_credited_and_gives_back_strays(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await accrue_order(an_order(clock), uow, FakeCampaigns(HELD), clock)
    stray = CampaignBonus("c-new", 1, 50, "Started since", reservation_id="h9")
    again = FakeCampaigns(HELD, stray)
    answer = await accrue_order(an_order(clock), uow, again, clock)
    assert answer.replayed
    assert again.settled == [("POS-S001-1", ["h1"], True), ("POS-S001-1", ["h9"], False)]


async def test_a_replay_of_an_order_whose_bonus_is_pending_leaves_its_holds_to_the_campaigns(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await accrue_order(an_order(clock), uow, FakeCampaigns(HELD, down=True), clock)
    again = FakeCampaigns(HELD)
    assert (await accrue_order(an_order(clock), uow, again, clock)).replayed
    assert again.settled == []
