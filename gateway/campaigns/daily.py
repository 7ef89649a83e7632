"""A campaign's results day by day, composed: the campaign service gives each day's grants,
points, members reached and budget left; the analytics read model (`GetCampaignHoldout`
with `by_day`) the orders and net spend of the targeted and held-out members each day and
the uplift from the window's start to each day's end, so that the last day's is
`results.holdout`'s and no service loads the tenant's members for it. When the read model
cannot answer, the days still answer with those fields null and `holdout_unavailable`
saying why (as the campaign's results do)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gateway.campaigns.audience_answers import CampaignDayOut, CampaignDaysOut, GroupDayOut
from gateway.campaigns.holdout import asked
from loyalty.analytics.v1 import campaign_holdout_pb2 as pb
from loyalty.campaign.v1 import campaign_admin_pb2 as admin_pb

if TYPE_CHECKING:
    from loyalty.analytics.v1.analytics_pb2_grpc import AnalyticsServiceAsyncStub as AnalyticsStub

NOTHING = pb.HoldoutDay()  # a day outside the read model's window: nobody bought


def _group(g: pb.HoldoutDayGroup) -> GroupDayOut:
    return GroupDayOut(orders=g.orders, spend=g.spend or "0.00")


def _with(day: CampaignDayOut, found: pb.HoldoutDay, holdout: bool) -> CampaignDayOut:
    return day.model_copy(
        update={
            "targeted": _group(found.targeted),
            "held_out": _group(found.held_out) if holdout else None,
            "uplift": (found.uplift or None) if holdout else None,
            "uplift_low": (found.uplift_low or None) if holdout else None,
            "uplift_high": (found.uplift_high or None) if holdout else None,
        }
    )


async def with_holdout_days(
    out: CampaignDaysOut,
    analytics: AnalyticsStub | None,
    tenant_id: str,
    campaign: admin_pb.Campaign,
) -> CampaignDaysOut:
    """The campaign service's days with each day's groups and uplift from the read model."""
    answer, unavailable = await asked(analytics, tenant_id, campaign, by_day=True)
    if answer is None:
        cleared = {"targeted": None, "held_out": None}
        cleared |= {"uplift": None, "uplift_low": None, "uplift_high": None}
        days = [day.model_copy(update=cleared) for day in out.days]
        return out.model_copy(update={"days": days, "holdout_unavailable": unavailable})
    holdout = campaign.definition.holdout_percent > 0
    found = {day.day: day for day in answer.days}
    days = [_with(day, found.get(day.date, NOTHING), holdout) for day in out.days]
    return out.model_copy(update={"days": days})
