"""The CampaignService gRPC API: translate, call a handler, translate back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp
from grpc import aio

from libs.errors import InvalidArgument
from loyalty.campaign.v1 import campaign_pb2 as pb
from loyalty.campaign.v1 import campaign_pb2_grpc
from services.campaign.domain.campaigns import CampaignSummary
from services.campaign.domain.ports import CampaignReader, PurchaseCampaigns
from services.campaign.entrypoints.grpc_admin import CampaignAdminRpcs
from services.campaign.handlers import queries
from services.campaign.handlers.admin import Admin
from services.campaign.handlers.evaluation import EvaluateOrder, evaluate_order

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


def evaluate_command(request: pb.EvaluateOrderRequest) -> EvaluateOrder:
    occurred_at = (
        request.occurred_at.ToDatetime(tzinfo=UTC) if request.HasField("occurred_at") else None
    )
    return EvaluateOrder(
        tenant_id=request.tenant_id,
        member_id=request.member_id,
        tier_code=request.tier_code,
        channel=request.channel,
        store_id=request.store_id,
        occurred_at=occurred_at,
        total=request.total,
        lines=[
            (line.sku, line.category, line.quantity, line.amount, line.base_points)
            for line in request.lines
        ],
    )


class CampaignServicer(CampaignAdminRpcs, campaign_pb2_grpc.CampaignServiceServicer):
    def __init__(self, reader: CampaignReader, purchases: PurchaseCampaigns, admin: Admin) -> None:
        super().__init__(admin)
        self._reader = reader
        self._purchases = purchases

    async def ListCampaigns(
        self, request: pb.ListCampaignsRequest, context: Context
    ) -> pb.ListCampaignsResponse:
        if not request.tenant_id:
            raise InvalidArgument("tenant_id: required")
        campaigns = await queries.list_campaigns(
            request.tenant_id, request.status, request.limit, self._reader
        )
        return pb.ListCampaignsResponse(campaigns=[summary_message(c) for c in campaigns])

    async def EvaluateOrder(
        self, request: pb.EvaluateOrderRequest, context: Context
    ) -> pb.EvaluateOrderResponse:
        if not request.tenant_id:
            raise InvalidArgument("tenant_id: required")
        effects, skipped = await evaluate_order(evaluate_command(request), self._purchases)
        return pb.EvaluateOrderResponse(
            effects=[
                pb.Effect(
                    campaign_id=e.campaign_id,
                    campaign_version=e.campaign_version,
                    kind="points",
                    points=e.points,
                    description=e.description,
                )
                for e in effects
            ],
            skipped=[
                pb.SkippedCampaign(campaign_id=s.campaign_id, reason=s.reason) for s in skipped
            ],
        )
