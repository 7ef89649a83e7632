"""A stand-in for the campaign service's operator RPCs: campaigns in a dict, per tenant.

It checks only what the gateway forwards; the real rules are tested in the service."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grpc import aio
from typing_extensions import override

from gateway.tests.integration.unserved import unserved
from libs.errors import FailedPrecondition, NotFound
from libs.ids import new_id
from loyalty.campaign.v1 import campaign_admin_pb2 as admin_pb
from loyalty.campaign.v1 import campaign_pb2 as pb
from loyalty.campaign.v1 import campaign_pb2_grpc

Context = aio.ServicerContext[Any, Any]


@dataclass
class FakeCampaignService(campaign_pb2_grpc.CampaignServiceServicer):
    campaigns: dict[tuple[str, str], admin_pb.Campaign] = field(default_factory=dict)
    requests: list[Any] = field(default_factory=list)

    CreateSegment = UpdateSegment = GetSegment = ListSegments = unserved
    PreviewSegment = DryRunCampaign = BacktestCampaign = GetCampaignDays = unserved
    ListSegmentMembers = unserved

    def _get(self, tenant_id: str, campaign_id: str) -> admin_pb.Campaign:
        campaign = self.campaigns.get((tenant_id, campaign_id))
        if campaign is None:
            raise NotFound(f"campaign {campaign_id} not found")
        return campaign

    @override
    async def CreateCampaign(
        self, request: admin_pb.CreateCampaignRequest, context: Context
    ) -> admin_pb.CreateCampaignResponse:
        self.requests.append(request)
        budget = (
            request.definition.budget_points
            if request.definition.HasField("budget_points")
            else None
        )
        campaign = admin_pb.Campaign(
            campaign_id=new_id("cmp_"),
            status="draft",
            version=1,
            definition=request.definition,
            results=admin_pb.CampaignResults(budget_left=budget),
            created_at=request.definition.starts_at,
        )
        self.campaigns[(request.tenant_id, campaign.campaign_id)] = campaign
        return admin_pb.CreateCampaignResponse(campaign=campaign)

    @override
    async def GetCampaign(
        self, request: admin_pb.GetCampaignRequest, context: Context
    ) -> admin_pb.GetCampaignResponse:
        return admin_pb.GetCampaignResponse(
            campaign=self._get(request.tenant_id, request.campaign_id)
        )

    @override
    async def UpdateCampaign(
        self, request: admin_pb.UpdateCampaignRequest, context: Context
    ) -> admin_pb.UpdateCampaignResponse:
        self.requests.append(request)
        campaign = self._get(request.tenant_id, request.campaign_id)
        campaign.definition.CopyFrom(request.definition)
        if campaign.status != "draft":
            campaign.version += 1
        return admin_pb.UpdateCampaignResponse(campaign=campaign)

    @override
    async def ActivateCampaign(
        self, request: admin_pb.ActivateCampaignRequest, context: Context
    ) -> admin_pb.ActivateCampaignResponse:
        campaign = self._get(request.tenant_id, request.campaign_id)
        campaign.status = "active"
        return admin_pb.ActivateCampaignResponse(campaign=campaign)

    @override
    async def PauseCampaign(
        self, request: admin_pb.PauseCampaignRequest, context: Context
    ) -> admin_pb.PauseCampaignResponse:
        campaign = self._get(request.tenant_id, request.campaign_id)
        if campaign.status != "active":
            raise FailedPrecondition(
                f"only an active campaign can be paused, not a {campaign.status}"
            )
        campaign.status = "paused"
        return admin_pb.PauseCampaignResponse(campaign=campaign)

    @override
    async def ListCampaigns(
        self, request: pb.ListCampaignsRequest, context: Context
    ) -> pb.ListCampaignsResponse:
        mine = [c for (tenant, _), c in self.campaigns.items() if tenant == request.tenant_id]
        return pb.ListCampaignsResponse(
            campaigns=[
                pb.CampaignSummary(
                    campaign_id=c.campaign_id,
                    name=c.definition.name,
                    trigger=c.definition.trigger,
                    status=c.status,
                    version=c.version,
                    ends_at=c.definition.ends_at if c.definition.HasField("ends_at") else None,
                )
                for c in reversed(mine)
                if not request.status or c.status == request.status
            ]
        )

    @override
    async def EvaluateOrder(
        self, request: pb.EvaluateOrderRequest, context: Context
    ) -> pb.EvaluateOrderResponse:
        return pb.EvaluateOrderResponse()

    @override
    async def SettleGrants(
        self, request: pb.SettleGrantsRequest, context: Context
    ) -> pb.SettleGrantsResponse:
        return pb.SettleGrantsResponse()
