"""The CampaignService gRPC API: translate, call a handler, translate back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp
from grpc import aio

from libs.errors import InvalidArgument
from loyalty.campaign.v1 import campaign_pb2 as pb
from loyalty.campaign.v1 import campaign_pb2_grpc
from services.campaign.domain.campaigns import CampaignSummary
from services.campaign.domain.ports import CampaignReader
from services.campaign.handlers import queries

Context = aio.ServicerContext[Any, Any]


def _timestamp(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def summary_message(summary: CampaignSummary) -> pb.CampaignSummary:
    return pb.CampaignSummary(
        campaign_id=summary.campaign_id,
        name=summary.name,
        trigger=summary.trigger.value,
        status=summary.status.value,
        version=summary.version,
        starts_at=_timestamp(summary.starts_at),
        ends_at=_timestamp(summary.ends_at),
    )


class CampaignServicer(campaign_pb2_grpc.CampaignServiceServicer):
    def __init__(self, reader: CampaignReader) -> None:
        self._reader = reader

    async def ListCampaigns(
        self, request: pb.ListCampaignsRequest, context: Context
    ) -> pb.ListCampaignsResponse:
        if not request.tenant_id:
            raise InvalidArgument("tenant_id: required")
        campaigns = await queries.list_campaigns(
            request.tenant_id, request.status, request.limit, self._reader
        )
        return pb.ListCampaignsResponse(campaigns=[summary_message(c) for c in campaigns])
