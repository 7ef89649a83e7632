"""Reading an order as credited: the campaigns that applied, those skipped and why, and
its returns."""

from __future__ import annotations

from datetime import timedelta

import pytest

from libs.clock import FakeClock
from libs.errors import InvalidArgument
from services.points.domain.campaign_results import EffectKind, SkippedCampaign
from services.points.domain.errors import OrderNotFound
from services.points.handlers.earning import accrue_order
from services.points.handlers.grants import GrantPoints, grant_points
from services.points.handlers.order_view import get_order
from services.points.handlers.returns import ReturnOrder, return_order
from services.points.tests.fakes import FakeCampaigns, FakeUnitOfWork
from services.points.tests.unit.conftest import TENANT
from services.points.tests.unit.test_accrue_order import SHOES, an_order

TOO_SMALL = SkippedCampaign("c-big-basket", 3, "min_total")


async def test_an_order_shows_the_campaign_that_applied_and_the_one_skipped_with_its_reason(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    campaigns = FakeCampaigns(SHOES, skipped=[TOO_SMALL])
    await accrue_order(an_order(clock), uow, campaigns, clock)
    view = await get_order(TENANT, "POS-S001-1", uow)
    order = view.order
    assert (order.channel, order.store_id, order.occurred_at) == (
        "pos",
        "S001",
        clock.now - timedelta(minutes=1),
    )
    assert [
        (a.campaign_id, a.campaign_version, a.points, a.kind) for a in order.applied_campaigns
    ] == [("c-shoes", 2, 299, EffectKind.POINTS)]
    assert order.campaigns.skipped == (TOO_SMALL,)
    assert (order.points_earned, order.bonus_pending, view.returns) == (796, False, ())


async def test_an_order_the_campaign_service_missed_says_pending_and_lists_no_skipped(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    down = FakeCampaigns(SHOES, skipped=[TOO_SMALL], down=True)
    await accrue_order(an_order(clock), uow, down, clock)
    order = (await get_order(TENANT, "POS-S001-1", uow)).order
    assert order.bonus_pending
    assert (order.applied_campaigns, order.campaigns.skipped) == ((), ())


async def test_a_bonus_granted_after_the_deadline_shows_as_applied(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await accrue_order(an_order(clock), uow, FakeCampaigns(down=True), clock)
    late = GrantPoints(
        TENANT, "m1", "c-shoes:POS-S001-1", 299, "c-shoes", 2, "Shoes (v2)", "POS-S001-1"
    )
    await grant_points(late, uow, clock)
    order = (await get_order(TENANT, "POS-S001-1", uow)).order
    assert [(a.campaign_id, a.points) for a in order.applied_campaigns] == [("c-shoes", 299)]
    assert order.bonus_pending


async def test_an_order_lists_its_returns_with_the_points_they_reversed(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await accrue_order(an_order(clock), uow, FakeCampaigns(), clock)
    shoe = [("SHOE-1", 1)]
    await return_order(ReturnOrder(TENANT, "POS-S001-1", "RET-1", shoe), uow, clock)
    view = await get_order(TENANT, "POS-S001-1", uow)
    [returned] = view.returns
    assert returned.return_id == "RET-1"
    assert returned.points_reversed == view.order.reversed_points > 0


async def test_an_unknown_order_or_another_tenants_is_not_found(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await accrue_order(an_order(clock), uow, FakeCampaigns(), clock)
    with pytest.raises(OrderNotFound):
        await get_order(TENANT, "POS-S001-2", uow)
    with pytest.raises(OrderNotFound):
        await get_order("sandbox", "POS-S001-1", uow)
    with pytest.raises(InvalidArgument):
        await get_order(TENANT, "", uow)
