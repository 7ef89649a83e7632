"""An order as credited, as the GetOrder answer: translation only."""

from __future__ import annotations

from libs.timestamps import timestamp
from loyalty.points.v1 import points_pb2 as pb
from services.points.adapters.messages import (
    actor_message,
    conversion_message,
    earning_line_message,
)
from services.points.handlers.order_view import OrderView


def order_view_response(view: OrderView) -> pb.GetOrderResponse:
    order = view.order
    answer = pb.GetOrderResponse(
        order_id=order.order_id,
        member_id=order.member_id,
        channel=order.channel,
        store_id=order.store_id,
        currency=order.currency,
        total=str(order.total),
        lines=[
            pb.CreditedLine(
                sku=line.sku,
                category=line.category,
                quantity=line.quantity,
                amount=str(line.amount),
                base_points=line.base_points,
            )
            for line in order.lines
        ],
        points_earned=order.points_earned,
        breakdown=[earning_line_message(line) for line in order.breakdown],
        bonus_pending=order.bonus_pending,
        applied=[
            pb.AppliedCampaign(
                campaign_id=a.campaign_id,
                campaign_version=a.campaign_version,
                points=a.points,
                kind=a.kind.value,
                description=a.description,
            )
            for a in order.applied_campaigns
        ],
        skipped=[
            pb.SkippedCampaign(
                campaign_id=s.campaign_id, campaign_version=s.campaign_version, reason=s.reason
            )
            for s in order.campaigns.skipped
        ],
        returns=[
            pb.OrderReturn(
                return_id=r.return_id,
                points_reversed=r.points_reversed,
                shortfall=r.shortfall,
                created_at=timestamp(r.created_at),
                actor=actor_message(r.actor),
            )
            for r in view.returns
        ],
        points_reversed=order.reversed_points,
        returned_amount=str(order.returned_amount),
        credited_at=timestamp(order.created_at),
    )
    if order.occurred_at is not None:
        answer.occurred_at.CopyFrom(timestamp(order.occurred_at))
    if order.conversion is not None:
        answer.conversion.CopyFrom(conversion_message(order.conversion))
    return answer
