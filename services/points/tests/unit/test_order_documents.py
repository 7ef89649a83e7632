"""An order's MongoDB document keeps what the campaign evaluation said, and a document
written before it was kept still reads."""

from __future__ import annotations

from libs.clock import FakeClock
from services.points.adapters.documents.orders import order_from_doc, order_to_doc
from services.points.domain.accrual import CampaignBonus
from services.points.domain.campaign_results import SkippedCampaign
from services.points.handlers.earning import accrue_order
from services.points.tests.fakes import FakeCampaigns, FakeUnitOfWork
from services.points.tests.unit.conftest import TENANT
from services.points.tests.unit.test_accrue_order import SHOES, an_order

COUPON = CampaignBonus("c-coupon", 1, 0, "A coupon for the next visit", "hold-9")
TOO_SMALL = SkippedCampaign("c-big-basket", 3, "min_total")


async def test_an_order_reads_back_as_it_was_written(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    campaigns = FakeCampaigns(SHOES, COUPON, skipped=[TOO_SMALL])
    await accrue_order(an_order(clock), uow, campaigns, clock)
    record = uow.state.orders[(TENANT, "POS-S001-1")]
    assert [a.campaign_id for a in record.applied_campaigns] == ["c-shoes", "c-coupon"]
    assert order_from_doc(order_to_doc(record)) == record


async def test_an_order_written_before_evaluations_were_kept_reads_with_none(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await accrue_order(an_order(clock), uow, FakeCampaigns(SHOES, skipped=[TOO_SMALL]), clock)
    doc = order_to_doc(uow.state.orders[(TENANT, "POS-S001-1")])
    for later in ("channel", "store_id", "occurred_at", "campaigns"):
        del doc[later]
    old = order_from_doc(doc)
    assert (old.channel, old.store_id, old.occurred_at) == ("", "", None)
    assert old.campaigns.skipped == ()
    assert [a.campaign_id for a in old.applied_campaigns] == ["c-shoes"]
