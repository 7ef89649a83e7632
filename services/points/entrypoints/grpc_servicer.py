"""The PointsService gRPC API: translate, call a handler, translate back."""

from __future__ import annotations

from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp
from grpc import aio

from libs.errors import InvalidArgument
from loyalty.points.v1 import points_pb2 as pb
from loyalty.points.v1 import points_pb2_grpc
from services.points.domain.balances import Balance
from services.points.domain.earning import EarningRule, parse_points_per_unit
from services.points.domain.ports import UnitOfWork
from services.points.handlers import queries

Context = aio.ServicerContext[Any, Any]


def _tenant(tenant_id: str) -> str:
    if not tenant_id:
        raise InvalidArgument("tenant_id: required")
    return tenant_id


def balance_message(balance: Balance) -> pb.Balance:
    expiring = []
    for lot in balance.expiring:
        stamp = Timestamp()
        stamp.FromDatetime(lot.expires_at)
        expiring.append(pb.ExpiringPoints(points=lot.points, expires_at=stamp))
    return pb.Balance(
        available=balance.available,
        held=balance.held,
        pending=balance.pending,
        lifetime_earned=balance.lifetime_earned,
        expiring=expiring,
    )


def rule_from(message: pb.EarningRule) -> EarningRule:
    return EarningRule(
        currency=message.currency,
        points_per_unit=parse_points_per_unit(message.points_per_unit),
        rounding=message.rounding or "floor",
        excluded_categories=frozenset(message.excluded_categories),
        excluded_skus=frozenset(message.excluded_skus),
        expiry_months=message.expiry_months,
        pending_days=message.pending_days,
    )


def rule_message(rule: EarningRule) -> pb.EarningRule:
    return pb.EarningRule(
        currency=rule.currency,
        points_per_unit=str(rule.points_per_unit),
        rounding=rule.rounding,
        excluded_categories=sorted(rule.excluded_categories),
        excluded_skus=sorted(rule.excluded_skus),
        expiry_months=rule.expiry_months,
        pending_days=rule.pending_days,
        version=rule.version,
    )


class PointsServicer(points_pb2_grpc.PointsServiceServicer):
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def GetBalance(
        self, request: pb.GetBalanceRequest, context: Context
    ) -> pb.GetBalanceResponse:
        if not request.member_id:
            raise InvalidArgument("member_id: required")
        balance = await queries.get_balance(
            _tenant(request.tenant_id), request.member_id, self._uow
        )
        return pb.GetBalanceResponse(balance=balance_message(balance))

    async def PutEarningRule(
        self, request: pb.PutEarningRuleRequest, context: Context
    ) -> pb.PutEarningRuleResponse:
        rule = await queries.put_earning_rule(
            _tenant(request.tenant_id), rule_from(request.rule), self._uow
        )
        return pb.PutEarningRuleResponse(rule=rule_message(rule))

    async def GetEarningRule(
        self, request: pb.GetEarningRuleRequest, context: Context
    ) -> pb.GetEarningRuleResponse:
        rule = await queries.get_earning_rule(_tenant(request.tenant_id), self._uow)
        return pb.GetEarningRuleResponse(rule=rule_message(rule))
