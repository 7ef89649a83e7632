"""The operators' segment, dry-run, backtest and daily-results RPCs: translate, call,
translate back."""

from __future__ import annotations

from libs.clock import Clock
from libs.grpc.requests import Context, tenant_of
from loyalty.campaign.v1 import campaign_audience_pb2 as pb
from services.campaign.campaigns.domain.parsing import parse_zone
from services.campaign.campaigns.entrypoints.translators.audience import (
    backtest_message,
    cart_purchase,
    days_message,
    rules_from,
    segment_message,
)
from services.campaign.campaigns.handlers.daily import CampaignDays
from services.campaign.campaigns.handlers.insights import Insights
from services.campaign.campaigns.handlers.segments import Segments


class AudienceRpcs:
    def __init__(
        self, segments: Segments, insights: Insights, days: CampaignDays, clock: Clock
    ) -> None:
        self._segments = segments
        self._insights = insights
        self._days = days
        self._clock = clock

    async def CreateSegment(
        self, request: pb.CreateSegmentRequest, context: Context
    ) -> pb.CreateSegmentResponse:
        segment = await self._segments.create(
            tenant_of(request.tenant_id), request.name, rules_from(request.rules)
        )
        return pb.CreateSegmentResponse(segment=segment_message(segment))

    async def UpdateSegment(
        self, request: pb.UpdateSegmentRequest, context: Context
    ) -> pb.UpdateSegmentResponse:
        segment = await self._segments.update(
            tenant_of(request.tenant_id),
            request.segment_id,
            request.name,
            rules_from(request.rules),
        )
        return pb.UpdateSegmentResponse(segment=segment_message(segment))

    async def GetSegment(
        self, request: pb.GetSegmentRequest, context: Context
    ) -> pb.GetSegmentResponse:
        segment = await self._segments.get(tenant_of(request.tenant_id), request.segment_id)
        return pb.GetSegmentResponse(segment=segment_message(segment))

    async def ListSegments(
        self, request: pb.ListSegmentsRequest, context: Context
    ) -> pb.ListSegmentsResponse:
        segments = await self._segments.list(tenant_of(request.tenant_id))
        return pb.ListSegmentsResponse(segments=[segment_message(s) for s in segments])

    async def ListSegmentMembers(
        self, request: pb.ListSegmentMembersRequest, context: Context
    ) -> pb.ListSegmentMembersResponse:
        page = await self._segments.member_page(
            tenant_of(request.tenant_id),
            request.segment_id,
            request.page_token,
            request.page_size,
        )
        return pb.ListSegmentMembersResponse(
            segment=segment_message(page.segment),
            member_ids=page.member_ids,
            next_page_token=page.next_after,
        )

    async def PreviewSegment(
        self, request: pb.PreviewSegmentRequest, context: Context
    ) -> pb.PreviewSegmentResponse:
        size = await self._segments.preview(tenant_of(request.tenant_id), rules_from(request.rules))
        return pb.PreviewSegmentResponse(size=size)

    async def DryRunCampaign(
        self, request: pb.DryRunCampaignRequest, context: Context
    ) -> pb.DryRunCampaignResponse:
        tenant_id = tenant_of(request.tenant_id)
        purchase = cart_purchase(request, self._clock())
        run = await self._insights.dry_run(tenant_id, request.campaign_id, purchase)
        return pb.DryRunCampaignResponse(
            applies=run.applies,
            points=run.points,
            reason=run.reason,
            coupon_template_id=run.coupon_template_id,
        )

    async def BacktestCampaign(
        self, request: pb.BacktestCampaignRequest, context: Context
    ) -> pb.BacktestCampaignResponse:
        tenant_id = tenant_of(request.tenant_id)
        test = await self._insights.backtest(
            tenant_id, request.campaign_id, request.days, parse_zone(request.time_zone)
        )
        return backtest_message(test)

    async def GetCampaignDays(
        self, request: pb.GetCampaignDaysRequest, context: Context
    ) -> pb.GetCampaignDaysResponse:
        tenant_id = tenant_of(request.tenant_id)
        days = await self._days.days(tenant_id, request.campaign_id, parse_zone(request.time_zone))
        return days_message(days)
