"""The AnalyticsService gRPC API: translate, call a handler, translate back."""

from __future__ import annotations

from libs.clock import utc_now
from libs.grpc.requests import Context, tenant_of
from libs.timestamps import optional_datetime
from loyalty.analytics.v1 import analytics_pb2 as pb
from loyalty.analytics.v1 import analytics_pb2_grpc, campaign_holdout_pb2, churn_pb2, league_pb2
from services.analytics.domain.layout import Rebuilding
from services.analytics.domain.ports import (
    Freshness,
    Reports,
    SegmentMembers,
    Settings,
    TimeZones,
)
from services.analytics.entrypoints.campaign_holdout import holdout_message, holdout_query
from services.analytics.entrypoints.churn import churn_message, churn_query
from services.analytics.entrypoints.layout import ReadModelState
from services.analytics.entrypoints.league import league_message, league_scope
from services.analytics.entrypoints.translators import (
    liability_message,
    overview_message,
    retention_message,
    rfm_message,
    sales_message,
    scope_of,
    settings_message,
)
from services.analytics.handlers import reports
from services.analytics.handlers.campaign_holdout import campaign_holdout
from services.analytics.handlers.churn import churn
from services.analytics.handlers.league import league_table


class AnalyticsServicer(analytics_pb2_grpc.AnalyticsServiceServicer):
    def __init__(
        self,
        reports: Reports,
        zones: TimeZones,
        segments: SegmentMembers,
        freshness: Freshness,
        state: ReadModelState | None = None,
    ) -> None:
        self._reports = reports
        self._zones = zones
        self._segments = segments
        self._freshness = freshness
        self._state = state

    def _ready(self) -> None:
        """Reports wait while the read model is rebuilt (services/analytics/handlers/layout.py)."""
        if self._state is not None:
            self._state.check()

    async def GetProgrammeOverview(
        self, request: pb.GetProgrammeOverviewRequest, context: Context
    ) -> pb.GetProgrammeOverviewResponse:
        self._ready()
        scope = scope_of(request.scope, tenant_of(request.scope.tenant_id))
        return overview_message(await reports.overview(scope, self._reports))

    async def GetPointsLiability(
        self, request: pb.GetPointsLiabilityRequest, context: Context
    ) -> pb.GetPointsLiabilityResponse:
        self._ready()
        as_of = optional_datetime(request, "as_of") or utc_now()
        report = await reports.liability(
            tenant_of(request.tenant_id), as_of, self._reports, self._zones
        )
        return liability_message(report)

    async def GetSalesReport(
        self, request: pb.GetSalesReportRequest, context: Context
    ) -> pb.GetSalesReportResponse:
        self._ready()
        scope = scope_of(request.scope, tenant_of(request.scope.tenant_id))
        return sales_message(await reports.sales(scope, self._reports))

    async def GetRetention(
        self, request: pb.GetRetentionRequest, context: Context
    ) -> pb.GetRetentionResponse:
        self._ready()
        scope = scope_of(request.scope, tenant_of(request.scope.tenant_id))
        return retention_message(await reports.cohorts(scope, self._reports))

    async def GetRfm(self, request: pb.GetRfmRequest, context: Context) -> pb.GetRfmResponse:
        self._ready()
        scope = scope_of(request.scope, tenant_of(request.scope.tenant_id))
        return rfm_message(await reports.rfm_grid(scope, self._reports))

    async def PutAnalyticsSettings(
        self, request: pb.PutAnalyticsSettingsRequest, context: Context
    ) -> pb.PutAnalyticsSettingsResponse:
        given = Settings(request.settings.point_value, request.settings.currency)
        saved = await reports.put_settings(tenant_of(request.tenant_id), given, self._reports)
        return pb.PutAnalyticsSettingsResponse(settings=settings_message(saved))

    async def GetAnalyticsSettings(
        self, request: pb.GetAnalyticsSettingsRequest, context: Context
    ) -> pb.GetAnalyticsSettingsResponse:
        saved = await self._reports.settings(tenant_of(request.tenant_id))
        return pb.GetAnalyticsSettingsResponse(settings=settings_message(saved))

    async def GetChurnRisk(
        self, request: churn_pb2.GetChurnRiskRequest, context: Context
    ) -> churn_pb2.GetChurnRiskResponse:
        self._ready()
        return churn_message(await churn(churn_query(request), self._reports))

    async def GetCampaignLeague(
        self, request: league_pb2.GetCampaignLeagueRequest, context: Context
    ) -> league_pb2.GetCampaignLeagueResponse:
        self._ready()
        rows = await league_table(
            league_scope(request), self._reports, self._zones, self._segments, request.sort
        )
        return league_message(rows)

    async def GetCampaignHoldout(
        self, request: campaign_holdout_pb2.GetCampaignHoldoutRequest, context: Context
    ) -> campaign_holdout_pb2.GetCampaignHoldoutResponse:
        if self._state is not None and self._state.standing.reports_wait:
            # Said as the comparison's reason, not refused: the campaign's results answer.
            return campaign_holdout_pb2.GetCampaignHoldoutResponse(unavailable=Rebuilding.code)
        answer = await campaign_holdout(
            holdout_query(request), self._reports, self._zones, self._segments, self._freshness
        )
        return holdout_message(answer)
