"""The operators' campaign RPCs: translate, call the admin handlers, translate back."""

from __future__ import annotations

from libs.grpc.requests import Context, tenant_of
from loyalty.campaign.v1 import campaign_admin_pb2 as pb
from services.campaign.campaigns.entrypoints.translators.admin import (
    campaign_message,
    definition_from,
)
from services.campaign.campaigns.handlers.admin import Admin


class CampaignAdminRpcs:
    def __init__(self, admin: Admin) -> None:
        self._admin = admin

    async def CreateCampaign(
        self, request: pb.CreateCampaignRequest, context: Context
    ) -> pb.CreateCampaignResponse:
        view = await self._admin.create(
            tenant_of(request.tenant_id), definition_from(request.definition)
        )
        return pb.CreateCampaignResponse(campaign=campaign_message(view))

    async def GetCampaign(
        self, request: pb.GetCampaignRequest, context: Context
    ) -> pb.GetCampaignResponse:
        view = await self._admin.get(tenant_of(request.tenant_id), request.campaign_id)
        return pb.GetCampaignResponse(campaign=campaign_message(view))

    async def UpdateCampaign(
        self, request: pb.UpdateCampaignRequest, context: Context
    ) -> pb.UpdateCampaignResponse:
        tenant_id = tenant_of(request.tenant_id)
        definition = definition_from(request.definition)
        view = await self._admin.update(tenant_id, request.campaign_id, definition)
        return pb.UpdateCampaignResponse(campaign=campaign_message(view))

    async def ActivateCampaign(
        self, request: pb.ActivateCampaignRequest, context: Context
    ) -> pb.ActivateCampaignResponse:
        view = await self._admin.activate(tenant_of(request.tenant_id), request.campaign_id)
        return pb.ActivateCampaignResponse(campaign=campaign_message(view))

    async def PauseCampaign(
        self, request: pb.PauseCampaignRequest, context: Context
    ) -> pb.PauseCampaignResponse:
        view = await self._admin.pause(tenant_of(request.tenant_id), request.campaign_id)
        return pb.PauseCampaignResponse(campaign=campaign_message(view))
