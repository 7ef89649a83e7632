"""The campaign service's order evaluation, over gRPC with a short deadline."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from grpc import aio

from libs.logging import get_logger
from libs.timestamps import timestamp
from loyalty.campaign.v1 import campaign_pb2 as pb
from loyalty.campaign.v1.campaign_pb2_grpc import CampaignServiceStub
from services.points.domain.accrual import CampaignBonus
from services.points.domain.campaign_results import CampaignAnswer, SkippedCampaign
from services.points.domain.ports import BonusUnavailable, Evaluation

POINTS_EFFECT = "points"
COUPON_EFFECT = "coupon"
SETTLE_SECONDS = 2.0
log = get_logger(__name__)


def evaluation_request(evaluation: Evaluation) -> pb.EvaluateOrderRequest:
    order, member = evaluation.priced.order, evaluation.member
    request = pb.EvaluateOrderRequest(
        tenant_id=order.tenant_id,
        member_id=member.member_id,
        tier_code=member.tier_code,
        order_id=order.order_id,
        channel=order.channel,
        store_id=order.store_id,
        occurred_at=timestamp(order.occurred_at),
        currency=order.currency,
        total=str(order.total),
        time_zone=evaluation.time_zone,
        birth_month=member.birth_month,
        first_purchase=evaluation.first_purchase,
        lines=[
            pb.EvaluatedLine(
                sku=line.sku,
                category=line.category,
                quantity=line.quantity,
                amount=str(line.amount),
                base_points=line.base_points,
            )
            for line in evaluation.priced.lines
        ],
    )
    if member.enrolled_at is not None:
        request.enrolled_at.CopyFrom(timestamp(member.enrolled_at))
    return request


class GrpcCampaignEvaluator:
    def __init__(self, channel: aio.Channel, timeout_seconds: float) -> None:
        self._stub = CampaignServiceStub(channel)
        self._timeout = timeout_seconds

    async def evaluate(self, evaluation: Evaluation) -> CampaignAnswer:
        return await self._ask(evaluation_request(evaluation))

    async def preview(self, evaluation: Evaluation) -> list[CampaignBonus]:
        """A dry run: the campaign service holds no budget for it."""
        request = evaluation_request(evaluation)
        request.order_id, request.dry_run = "", True
        return list((await self._ask(request)).bonuses)

    async def _ask(self, request: pb.EvaluateOrderRequest) -> CampaignAnswer:
        try:
            # The gRPC deadline bounds the call; the outer one also bounds a slow connect.
            async with asyncio.timeout(self._timeout * 2):
                answer = await self._stub.EvaluateOrder(request, timeout=self._timeout)
        except aio.AioRpcError as exc:
            raise BonusUnavailable(exc.code().name) from exc
        except TimeoutError as exc:
            raise BonusUnavailable("DEADLINE_EXCEEDED") from exc
        bonuses = tuple(
            CampaignBonus(
                e.campaign_id,
                e.campaign_version,
                e.points,
                e.description,
                e.reservation_id,
                tuple(sorted(e.description_translations.items())),
            )
            for e in answer.effects
            # A coupon effect earns no points, but its hold is settled with the order's:
            # committing it issues the coupon.
            if (e.kind == POINTS_EFFECT and e.points > 0)
            or (e.kind == COUPON_EFFECT and e.reservation_id)
        )
        skipped = tuple(
            SkippedCampaign(s.campaign_id, s.campaign_version, s.reason) for s in answer.skipped
        )
        return CampaignAnswer(bonuses, skipped)

    async def settle(
        self, bonuses: Sequence[CampaignBonus], *, tenant_id: str, order_id: str, commit: bool
    ) -> None:
        held = [b.reservation_id for b in bonuses if b.reservation_id]
        if not held:
            return
        request = pb.SettleGrantsRequest(
            tenant_id=tenant_id, order_id=order_id, reservation_ids=held, commit=commit
        )
        try:
            await self._stub.SettleGrants(request, timeout=SETTLE_SECONDS)
        except aio.AioRpcError as exc:  # the campaign service's sweep releases it later
            log.warning("campaign_holds_unsettled", order_id=order_id, error=exc.code().name)
