"""The PointsService gRPC API: translate, call a handler, translate back."""

from __future__ import annotations

import time
from collections.abc import Iterable

from libs.errors import FailedPrecondition
from libs.grpc.requests import Context, tenant_of
from libs.metrics.process import METRICS
from libs.timestamps import timestamp
from loyalty.points.v1 import points_pb2 as pb
from loyalty.points.v1 import points_pb2_grpc
from services.points.adapters.messages import actor_from, balance_message
from services.points.domain.ports import (
    BalanceProjection,
    CampaignEvaluator,
    Reconciler,
    UnitOfWork,
)
from services.points.domain.redemptions import RedemptionStatus
from services.points.entrypoints.grpc_exchange_rates import ExchangeRateRpcs
from services.points.entrypoints.grpc_member_history import MemberHistoryRpcs
from services.points.entrypoints.translators import operators, orders
from services.points.entrypoints.translators.order_view import order_view_response
from services.points.handlers import (
    adjustments,
    bulk_adjustments,
    earning,
    grants,
    order_view,
    preview,
    queries,
    redemptions,
    returns,
    transfers,
)
from services.points.handlers.preview import CampaignPreview
from services.points.handlers.rule_cache import RuleCache


def _stores(store_id: str, store_ids: Iterable[str]) -> frozenset[str]:
    """The stores a bound caller acts for; empty for a caller bound to none."""
    return frozenset(s for s in (store_id, *store_ids) if s)


class PointsServicer(MemberHistoryRpcs, ExchangeRateRpcs, points_pb2_grpc.PointsServiceServicer):
    def __init__(
        self,
        uow: UnitOfWork,
        campaigns: CampaignEvaluator,
        reconciler: Reconciler,
        previews: CampaignPreview | None = None,
        balances: BalanceProjection | None = None,
    ) -> None:
        self._uow = uow
        self._campaigns = campaigns
        self._reconciler = reconciler
        self._previews = previews
        self._rules = RuleCache()
        self._balances = balances

    async def PreviewOrder(
        self, request: pb.PreviewOrderRequest, context: Context
    ) -> pb.PreviewOrderResponse:
        tenant_of(request.order.tenant_id)
        if self._previews is None:
            raise FailedPrecondition("cart previews are not served here")
        command = orders.accrue_command(request.order)
        answer = await preview.preview_order(command, self._uow, self._previews)
        return orders.preview_response(answer)

    async def AccrueOrder(
        self, request: pb.AccrueOrderRequest, context: Context
    ) -> pb.AccrueOrderResponse:
        tenant_of(request.tenant_id)
        command = orders.accrue_command(request)
        answer = await earning.accrue_order(command, self._uow, self._campaigns, rules=self._rules)
        if not answer.replayed:
            METRICS.count_order(request.tenant_id, answer.accrual.points_earned)
        return orders.accrual_response(answer)

    async def GetOrder(self, request: pb.GetOrderRequest, context: Context) -> pb.GetOrderResponse:
        view = await order_view.get_order(tenant_of(request.tenant_id), request.order_id, self._uow)
        return order_view_response(view)

    async def ReturnOrder(
        self, request: pb.ReturnOrderRequest, context: Context
    ) -> pb.ReturnOrderResponse:
        tenant_of(request.tenant_id)
        answer = await returns.return_order(orders.return_command(request), self._uow)
        return orders.return_response(answer)

    async def HoldPoints(
        self, request: pb.HoldPointsRequest, context: Context
    ) -> pb.HoldPointsResponse:
        tenant_of(request.tenant_id)
        view = await redemptions.hold_points(orders.hold_command(request), self._uow)
        if view.redemption.status is RedemptionStatus.CAPTURED:
            METRICS.count_redemption(request.tenant_id, view.redemption.points)
        return orders.redemption_response(view, pb.HoldPointsResponse)

    async def CaptureRedemption(
        self, request: pb.CaptureRedemptionRequest, context: Context
    ) -> pb.CaptureRedemptionResponse:
        view = await redemptions.capture_redemption(
            tenant_of(request.tenant_id),
            request.redemption_id,
            self._uow,
            stores=_stores(request.store_id, request.store_ids),
        )
        if view.changed:
            METRICS.count_redemption(request.tenant_id, view.redemption.points)
        return orders.redemption_response(view, pb.CaptureRedemptionResponse)

    async def CancelRedemption(
        self, request: pb.CancelRedemptionRequest, context: Context
    ) -> pb.CancelRedemptionResponse:
        view = await redemptions.cancel_redemption(
            tenant_of(request.tenant_id),
            request.redemption_id,
            self._uow,
            stores=_stores(request.store_id, request.store_ids),
            by=actor_from(request.actor),
            may_reverse_any=request.may_reverse_any,
        )
        return orders.redemption_response(view, pb.CancelRedemptionResponse)

    async def GetLedger(
        self, request: pb.GetLedgerRequest, context: Context
    ) -> pb.GetLedgerResponse:
        page = await queries.get_ledger(
            tenant_of(request.tenant_id),
            request.member_id,
            request.limit,
            request.cursor,
            self._uow,
        )
        return pb.GetLedgerResponse(
            entries=[orders.entry_message(e) for e in page.entries],
            next_cursor=page.next_cursor,
        )

    async def GetBalance(
        self, request: pb.GetBalanceRequest, context: Context
    ) -> pb.GetBalanceResponse:
        balance = await queries.get_balance(
            tenant_of(request.tenant_id), request.member_id, self._uow, projection=self._balances
        )
        return pb.GetBalanceResponse(balance=balance_message(balance))

    async def PutEarningRule(
        self, request: pb.PutEarningRuleRequest, context: Context
    ) -> pb.PutEarningRuleResponse:
        tenant_id = tenant_of(request.tenant_id)
        rule = await queries.put_earning_rule(tenant_id, orders.rule_from(request.rule), self._uow)
        self._rules.forget(tenant_id)
        return pb.PutEarningRuleResponse(rule=orders.rule_message(rule))

    async def GetEarningRule(
        self, request: pb.GetEarningRuleRequest, context: Context
    ) -> pb.GetEarningRuleResponse:
        rule = await queries.get_earning_rule(tenant_of(request.tenant_id), self._uow)
        return pb.GetEarningRuleResponse(rule=orders.rule_message(rule))

    async def AdjustPoints(
        self, request: pb.AdjustPointsRequest, context: Context
    ) -> pb.AdjustPointsResponse:
        tenant_of(request.tenant_id)
        command = operators.adjust_command(request)
        answer = await adjustments.adjust_points(command, self._uow)
        return operators.adjustment_response(answer)

    async def GrantPoints(
        self, request: pb.GrantPointsRequest, context: Context
    ) -> pb.GrantPointsResponse:
        tenant_of(request.tenant_id)
        command = operators.grant_command(request)
        answer = await grants.grant_points(command, self._uow)
        return operators.grant_response(answer)

    async def BulkAdjustPoints(
        self, request: pb.BulkAdjustPointsRequest, context: Context
    ) -> pb.BulkAdjustPointsResponse:
        tenant_of(request.tenant_id)
        command = operators.bulk_command(request)
        report = await bulk_adjustments.bulk_adjust(command, self._uow)
        return operators.bulk_response(report)

    async def TransferPoints(
        self, request: pb.TransferPointsRequest, context: Context
    ) -> pb.TransferPointsResponse:
        tenant_of(request.tenant_id)
        command = operators.transfer_command(request)
        answer = await transfers.transfer_points(command, self._uow)
        return operators.transfer_response(answer)

    async def GetExpiringPoints(
        self, request: pb.GetExpiringPointsRequest, context: Context
    ) -> pb.GetExpiringPointsResponse:
        found = await queries.get_expiring(
            tenant_of(request.tenant_id), request.member_id, request.days, self._uow
        )
        return pb.GetExpiringPointsResponse(
            points=found.points,
            expiring=[
                pb.ExpiringPoints(points=e.points, expires_at=timestamp(e.expires_at))
                for e in found.expiring
            ],
            days=found.days,
        )

    async def ListExpiringHolds(
        self, request: pb.ListExpiringHoldsRequest, context: Context
    ) -> pb.ListExpiringHoldsResponse:
        found = await queries.expiring_holds(
            tenant_of(request.tenant_id), request.within_minutes, request.limit, self._uow
        )
        return pb.ListExpiringHoldsResponse(
            holds=[orders.redemption_message(r) for r in found.holds],
            within_minutes=found.within_minutes,
        )

    async def ReconcilePoints(
        self, request: pb.ReconcilePointsRequest, context: Context
    ) -> pb.ReconcilePointsResponse:
        drifting = await self._reconciler.drifting(tenant_of(request.tenant_id))
        METRICS.record_reconciliation(request.tenant_id, len(drifting), time.time())
        return pb.ReconcilePointsResponse(
            drifting=[
                pb.DriftingMember(member_id=d.member_id, problems=list(d.problems))
                for d in drifting
            ]
        )
