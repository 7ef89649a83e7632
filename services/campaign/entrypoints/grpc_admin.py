"""The operators' campaign RPCs: translate, call the admin handlers, translate back."""

from __future__ import annotations

from typing import Any

from grpc import aio

from libs.errors import InvalidArgument
from loyalty.campaign.v1 import campaign_admin_pb2 as pb
from services.campaign.entrypoints.admin_translate import campaign_message, definition_from
from services.campaign.handlers.admin import Admin

Context = aio.ServicerContext[Any, Any]


def _tenant(request: Any) -> str:
    tenant_id: str = request.tenant_id
    if not tenant_id:
        raise InvalidArgument("tenant_id: required")
    return tenant_id


class CampaignAdminRpcs:
    def __init__(self, admin: Admin) -> None:
        self._admin = admin

    async def CreateCampaign(
        self, request: pb.CreateCampaignRequest, context: Context
    ) -> pb.CreateCampaignResponse:
        view = await self._admin.create(_tenant(request), definition_from(request.definition))
        return pb.CreateCampaignResponse(campaign=campaign_message(view))

    async def GetCampaign(
        self, request: pb.GetCampaignRequest, context: Context
    ) -> pb.GetCampaignResponse:
        view = await self._admin.get(_tenant(request), request.campaign_id)
        return pb.GetCampaignResponse(campaign=campaign_message(view))

    async def UpdateCampaign(
        self, request: pb.UpdateCampaignRequest, context: Context
    ) -> pb.UpdateCampaignResponse:
        tenant_id = _tenant(request)
        definition = definition_from(request.definition)
        view = await self._admin.update(tenant_id, request.campaign_id, definition)
        return pb.UpdateCampaignResponse(campaign=campaign_message(view))

    async def ActivateCampaign(
        self, request: pb.ActivateCampaignRequest, context: Context
    ) -> pb.ActivateCampaignResponse:
        view = await self._admin.activate(_tenant(request), request.campaign_id)
        return pb.ActivateCampaignResponse(campaign=campaign_message(view))

    async def PauseCampaign(
        self, request: pb.PauseCampaignRequest, context: Context
    ) -> pb.PauseCampaignResponse:
        view = await self._admin.pause(_tenant(request), request.campaign_id)
        return pb.PauseCampaignResponse(campaign=campaign_message(view))
