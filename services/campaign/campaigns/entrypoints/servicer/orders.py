"""The CampaignService gRPC API: translate, call a handler, translate back."""

from __future__ import annotations

from collections.abc import Iterable

from libs.errors import InvalidArgument
from libs.grpc.requests import Context
from libs.languages_wire import fill_translations
from libs.logging import get_logger
from libs.timestamps import optional_datetime, optional_timestamp
from loyalty.campaign.v1 import campaign_pb2 as pb
from services.campaign.campaigns.domain.campaigns import CampaignSummary
from services.campaign.campaigns.domain.leases import is_lease
from services.campaign.campaigns.domain.ports import CampaignReader
from services.campaign.campaigns.domain.reservations import Reservations
from services.campaign.campaigns.domain.rules import EffectType
from services.campaign.campaigns.handlers import queries
from services.campaign.campaigns.handlers.evaluation import EvaluateOrder, Granted, OrderEvaluator
from services.campaign.campaigns.handlers.order_coupons import OrderCoupons

log = get_logger(__name__)


def summary_message(summary: CampaignSummary) -> pb.CampaignSummary:
    message = _summary_message(summary)
    fill_translations(message.translations, summary.translations)
    return message


def _summary_message(summary: CampaignSummary) -> pb.CampaignSummary:
    return pb.CampaignSummary(
        campaign_id=summary.campaign_id,
        name=summary.name,
        trigger=summary.trigger.value,
        status=summary.status.value,
        version=summary.version,
        starts_at=optional_timestamp(summary.starts_at),
        ends_at=optional_timestamp(summary.ends_at),
    )


def evaluate_command(request: pb.EvaluateOrderRequest) -> EvaluateOrder:
    return EvaluateOrder(
        tenant_id=request.tenant_id,
        member_id=request.member_id,
        tier_code=request.tier_code,
        channel=request.channel,
        store_id=request.store_id,
        occurred_at=optional_datetime(request, "occurred_at"),
        total=request.total,
        lines=[
            (line.sku, line.category, line.quantity, line.amount, line.base_points)
            for line in request.lines
        ],
        order_id=request.order_id,
        enrolled_at=optional_datetime(request, "enrolled_at"),
        time_zone=request.time_zone,
        dry_run=request.dry_run,
        birth_month=request.birth_month,
        first_purchase=request.first_purchase,
    )


def effect_message(granted: Granted) -> pb.Effect:
    a = granted.applied
    coupon = a.kind is EffectType.COUPON
    return pb.Effect(
        campaign_id=a.campaign_id,
        campaign_version=a.campaign_version,
        kind="coupon" if coupon else "points",
        points=a.points,
        description=a.description,
        coupon_template_id=a.coupon_template_id,
        reservation_id=granted.reservation_id,
        description_translations=dict(granted.names),
    )


async def issue_coupons(coupons: OrderCoupons, tenant_id: str, hold_ids: Iterable[str]) -> None:
    """The holds are committed whatever happens here: a coupon not issued now is issued by
    the sweep."""
    try:
        await coupons.issue_for(tenant_id, list(hold_ids))
    except Exception as exc:
        log.warning("order_coupons_deferred", error=repr(exc))


class OrderRpcs:
    """The touchpoints' part of the CampaignService: listing, evaluating an order, settling
    its grants."""

    def __init__(
        self,
        reader: CampaignReader,
        evaluator: OrderEvaluator,
        reservations: Reservations,
        order_coupons: OrderCoupons | None = None,
    ) -> None:
        self._reader = reader
        self._evaluator = evaluator
        self._reservations = reservations
        self._order_coupons = order_coupons

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
        granted, skipped = await self._evaluator.evaluate(evaluate_command(request))
        return pb.EvaluateOrderResponse(
            effects=[effect_message(g) for g in granted],
            skipped=[
                pb.SkippedCampaign(
                    campaign_id=s.campaign_id, campaign_version=s.campaign_version, reason=s.reason
                )
                for s in skipped
            ],
        )

    async def SettleGrants(
        self, request: pb.SettleGrantsRequest, context: Context
    ) -> pb.SettleGrantsResponse:
        if not request.tenant_id:
            raise InvalidArgument("tenant_id: required")
        # A lease's grants are counted from the order's points.earned, and what a cancelled
        # order was allotted goes back when the lease closes: nothing to settle here.
        holds = [h for h in request.reservation_ids if not is_lease(h)]
        settled = 0
        for hold_id in holds:
            settled += await self._reservations.settle(request.tenant_id, hold_id, request.commit)
        if holds and request.commit and self._order_coupons is not None:
            await issue_coupons(self._order_coupons, request.tenant_id, holds)
        return pb.SettleGrantsResponse(settled=settled)
