"""A campaign's comparison with its held-out members, composed into its results from the
analytics read model (`GetCampaignHoldout`): the campaign service gives the counters and
the definition, the analytics service the comparison over the campaign's window, so that
reading a campaign never loads the tenant's members. When the read model cannot give it
(away, late, behind the stream, rebuilding, a segment's members not to be had, a coupon
campaign's consenting audience it does not know), the results still answer, their
`holdout` null and `holdout_unavailable` saying why; never a figure that misses events."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from grpc import aio

from gateway.campaigns.answers import CampaignOut
from gateway.campaigns.audience_answers import HoldoutGroupOut, HoldoutOut, HoldoutUnavailable
from libs.logging import get_logger
from libs.timestamps import optional_datetime, timestamp
from loyalty.analytics.v1 import campaign_holdout_pb2 as pb
from loyalty.campaign.v1 import campaign_admin_pb2 as admin_pb

if TYPE_CHECKING:
    from loyalty.analytics.v1.analytics_pb2_grpc import AnalyticsServiceAsyncStub as AnalyticsStub

log = get_logger(__name__)
CENT = Decimal("0.01")
FROM_ANALYTICS = ("analytics_behind", "analytics_rebuilding", "segment_unavailable")


def _per_member(amount: Decimal, members: int) -> str:
    return str((amount / members).quantize(CENT) if members else Decimal("0.00"))


def _group(g: pb.HoldoutGroupFigures) -> HoldoutGroupOut:
    spend = Decimal(g.spend or "0")
    return HoldoutGroupOut(
        members=g.members,
        orders=g.orders,
        spend=str(spend.quantize(CENT)),
        orders_per_member=_per_member(Decimal(g.orders), g.members),
        spend_per_member=_per_member(spend, g.members),
    )


def holdout_out(answer: pb.GetCampaignHoldoutResponse) -> HoldoutOut:
    return HoldoutOut(
        targeted=_group(answer.targeted),
        held_out=_group(answer.held_out),
        uplift=answer.uplift or None,
        uplift_low=answer.uplift_low or None,
        uplift_high=answer.uplift_high or None,
        from_day=answer.from_day,
        to_day=answer.to_day,
    )


def holdout_request(
    tenant_id: str, campaign: admin_pb.Campaign, now: datetime, *, by_day: bool = False
) -> pb.GetCampaignHoldoutRequest:
    """The window the campaign service used: from its start (or its creation) to its end
    or now, whichever is earlier."""
    d = campaign.definition
    start = optional_datetime(d, "starts_at") or optional_datetime(campaign, "created_at") or now
    ends_at = optional_datetime(d, "ends_at")
    end = now if ends_at is None else min(ends_at, now)
    return pb.GetCampaignHoldoutRequest(
        tenant_id=tenant_id,
        campaign_id=campaign.campaign_id,
        holdout_percent=d.holdout_percent,
        segment_id=d.conditions.segment_id,
        starts_at=timestamp(start),
        ends_at=timestamp(end),
        by_day=by_day,
    )


async def asked(
    analytics: AnalyticsStub | None,
    tenant_id: str,
    campaign: admin_pb.Campaign,
    *,
    by_day: bool = False,
) -> tuple[pb.GetCampaignHoldoutResponse | None, HoldoutUnavailable | None]:
    """The read model's answer for the campaign's window, or why there is none."""
    if campaign.definition.effect.type == "coupon":
        return None, "marketing_consent_unknown"
    if analytics is None:
        return None, "analytics_unavailable"
    request = holdout_request(tenant_id, campaign, datetime.now(UTC), by_day=by_day)
    try:
        answer = await analytics.GetCampaignHoldout(request)
    except aio.AioRpcError as err:
        log.warning(
            "campaign_holdout_unavailable",
            tenant_id=tenant_id,
            campaign_id=campaign.campaign_id,
            code=err.code().name,
        )
        return None, "analytics_unavailable"
    if answer.unavailable:
        reason = answer.unavailable if answer.unavailable in FROM_ANALYTICS else "analytics_behind"
        return None, cast(HoldoutUnavailable, reason)
    return answer, None


async def comparison(
    analytics: AnalyticsStub | None, tenant_id: str, campaign: admin_pb.Campaign
) -> tuple[HoldoutOut | None, HoldoutUnavailable | None]:
    """The campaign's comparison, or why there is none; (None, None) without a holdout."""
    if campaign.definition.holdout_percent <= 0:
        return None, None
    answer, unavailable = await asked(analytics, tenant_id, campaign)
    return (None, unavailable) if answer is None else (holdout_out(answer), None)


async def with_holdout(
    out: CampaignOut, analytics: AnalyticsStub | None, tenant_id: str, campaign: admin_pb.Campaign
) -> CampaignOut:
    """The campaign's answer with its comparison (or why there is none) in its results."""
    found, unavailable = await comparison(analytics, tenant_id, campaign)
    results = out.results.model_copy(update={"holdout": found, "holdout_unavailable": unavailable})
    return out.model_copy(update={"results": results})
