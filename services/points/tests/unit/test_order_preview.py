"""Previewing a cart: what it would earn, with nothing written."""

from __future__ import annotations

from libs.clock import FakeClock
from services.points.domain.accrual import CampaignBonus, Source
from services.points.domain.ports import Evaluation
from services.points.handlers.earning import accrue_order
from services.points.handlers.preview import preview_order
from services.points.tests.fakes import FakeCampaigns, FakeUnitOfWork
from services.points.tests.unit.conftest import TENANT
from services.points.tests.unit.test_accrue_order import SHOES, an_order


class PreviewCampaigns(FakeCampaigns):
    async def preview(self, evaluation: Evaluation) -> list[CampaignBonus]:
        return list((await self.evaluate(evaluation)).bonuses)


async def test_a_preview_earns_like_the_order_but_writes_nothing(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await accrue_order(an_order(clock, "POS-S001-0"), uow, FakeCampaigns(), clock)
    before = uow.transactions

    preview = await preview_order(an_order(clock, order_id=""), uow, PreviewCampaigns(SHOES), clock)

    assert [(line.source, line.points) for line in preview.breakdown] == [
        (Source.BASE, 398),
        (Source.TIER, 99),
        (Source.CAMPAIGN, 299),
    ]
    assert preview.points == 796
    assert preview.balance.available == uow.ledger_sum(TENANT, "m1") == 497
    assert uow.transactions == before


async def test_a_preview_without_the_campaign_service_counts_base_and_tier(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    preview = await preview_order(an_order(clock), uow, PreviewCampaigns(down=True), clock)

    assert (preview.points, preview.bonus_pending) == (497, True)
