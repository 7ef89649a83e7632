"""The points stand-in's orders: those it credited and their returns, and GetOrder over
them, with the real service's code (order_not_found) for an order the tenant does not have.

The stand-in evaluates no campaign: a test says what the evaluation of an order named
(`evaluations`), as the real service would have kept it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from grpc import aio
from typing_extensions import override

from libs.errors import NotFound
from loyalty.points.v1 import points_pb2 as pb
from loyalty.points.v1 import points_pb2_grpc

Context = aio.ServicerContext[Any, Any]
Key = tuple[str, str]  # (tenant_id, id)


@dataclass(frozen=True)
class Evaluated:
    applied: tuple[pb.AppliedCampaign, ...] = ()
    skipped: tuple[pb.SkippedCampaign, ...] = ()


@dataclass
class PointsOrderRpcs(points_pb2_grpc.PointsServiceServicer):
    orders: dict[Key, tuple[pb.AccrueOrderRequest, pb.AccrueOrderResponse]] = field(
        default_factory=dict
    )
    returns: dict[Key, pb.ReturnOrderResponse] = field(default_factory=dict)
    evaluations: dict[Key, Evaluated] = field(default_factory=dict)

    @override
    async def GetOrder(self, request: pb.GetOrderRequest, context: Context) -> pb.GetOrderResponse:
        key = (request.tenant_id, request.order_id)
        if key not in self.orders:
            raise NotFound(f"no order {request.order_id}", code="order_not_found")
        accrued, earned = self.orders[key]
        evaluated = self.evaluations.get(key, Evaluated())
        returns = [
            pb.OrderReturn(return_id=r.return_id, points_reversed=r.points_reversed)
            for (tenant_id, _), r in self.returns.items()
            if (tenant_id, r.order_id) == key
        ]
        return pb.GetOrderResponse(
            order_id=accrued.order_id,
            member_id=earned.member_id,
            channel=accrued.channel,
            store_id=accrued.store_id,
            occurred_at=accrued.occurred_at,
            currency=accrued.currency,
            total=accrued.total,
            lines=[
                pb.CreditedLine(
                    sku=line.sku,
                    category=line.category,
                    quantity=line.quantity,
                    amount=str(Decimal(line.unit_price) * line.quantity),
                )
                for line in accrued.lines
            ],
            points_earned=earned.points_earned,
            breakdown=earned.breakdown,
            bonus_pending=earned.bonus_pending,
            applied=evaluated.applied,
            skipped=evaluated.skipped,
            returns=returns,
            points_reversed=sum(r.points_reversed for r in returns),
            returned_amount="0",
        )
