"""An in-memory stand-in for the points service, enough to prove the gateway's behaviour.

It earns 1 point per currency unit times the tier multiplier, keeps one balance per
member and answers with the real service's error codes (order_conflict,
insufficient_points, order_not_found, redemption_not_found).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from grpc import aio
from typing_extensions import override

from gateway.tests.integration.fake_points_admin import PointsAdminRpcs
from gateway.tests.integration.fake_points_orders import PointsOrderRpcs
from gateway.tests.integration.unserved import unserved
from libs.errors import Conflict, FailedPrecondition, NotFound
from libs.ids import new_id
from libs.timestamps import timestamp
from loyalty.points.v1 import points_pb2 as pb

Context = aio.ServicerContext[Any, Any]
Key = tuple[str, str]  # (tenant_id, id)


def _whole(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


@dataclass
class Wallet:
    available: int = 0
    held: int = 0
    lifetime_earned: int = 0
    entries: list[pb.LedgerEntry] = field(default_factory=list)

    def record(self, type_: str, points: int, reason: str, **ids: str) -> None:
        entry = pb.LedgerEntry(
            entry_id=new_id("ent_"),
            type=type_,
            points=points,
            reason=reason,
            created_at=timestamp(datetime.now(UTC)),
        )
        for name, value in ids.items():
            setattr(entry, name, value)
        self.entries.append(entry)

    def balance(self) -> pb.Balance:
        return pb.Balance(
            available=self.available, held=self.held, lifetime_earned=self.lifetime_earned
        )


@dataclass
class FakePointsService(PointsAdminRpcs, PointsOrderRpcs):
    earning_rules: list[pb.PutEarningRuleRequest] = field(default_factory=list)
    accruals: list[pb.AccrueOrderRequest] = field(default_factory=list)
    holds: list[pb.HoldPointsRequest] = field(default_factory=list)
    wallets: dict[Key, Wallet] = field(default_factory=dict)
    redemptions: dict[Key, pb.Redemption] = field(default_factory=dict)

    GrantPoints = PreviewOrder = ListExpiringHolds = unserved
    ListMemberOrders = ListMemberRedemptions = unserved
    SetExchangeRates = ListExchangeRates = unserved

    @override
    def wallet(self, tenant_id: str, member_id: str) -> Wallet:
        return self.wallets.setdefault((tenant_id, member_id), Wallet())

    @override
    async def PutEarningRule(
        self, request: pb.PutEarningRuleRequest, context: Context
    ) -> pb.PutEarningRuleResponse:
        self.earning_rules.append(request)
        return pb.PutEarningRuleResponse(rule=request.rule)

    @override
    async def GetEarningRule(
        self, request: pb.GetEarningRuleRequest, context: Context
    ) -> pb.GetEarningRuleResponse:
        put = [r.rule for r in self.earning_rules if r.tenant_id == request.tenant_id]
        if not put:
            raise NotFound("no earning rule is set", code="earning_rule_not_found")
        return pb.GetEarningRuleResponse(rule=put[-1])

    @override
    async def AccrueOrder(
        self, request: pb.AccrueOrderRequest, context: Context
    ) -> pb.AccrueOrderResponse:
        self.accruals.append(request)
        key = (request.tenant_id, request.order_id)
        if key in self.orders:
            first_request, first_answer = self.orders[key]
            if first_request != request:
                raise Conflict(f"order {request.order_id} differs", code="order_conflict")
            replay = pb.AccrueOrderResponse()
            replay.CopyFrom(first_answer)
            replay.replayed = True
            return replay
        base = _whole(Decimal(request.total))
        earned = _whole(Decimal(request.total) * Decimal(request.member.tier_multiplier))
        breakdown = [pb.EarningLine(source="base", points=base, description="1 point per unit")]
        if earned > base:
            tier = pb.EarningLine(source="tier", points=earned - base, description="tier")
            breakdown.append(tier)
        wallet = self.wallet(request.tenant_id, request.member.member_id)
        wallet.available += earned
        wallet.lifetime_earned += earned
        wallet.record("earn", earned, "earned", order_id=request.order_id)
        answer = pb.AccrueOrderResponse(
            order_id=request.order_id,
            member_id=request.member.member_id,
            points_earned=earned,
            breakdown=breakdown,
            balance=wallet.balance(),
        )
        self.orders[key] = (request, answer)
        return answer

    @override
    async def ReturnOrder(
        self, request: pb.ReturnOrderRequest, context: Context
    ) -> pb.ReturnOrderResponse:
        known = self.returns.get((request.tenant_id, request.return_id))
        if known is not None:
            replay = pb.ReturnOrderResponse()
            replay.CopyFrom(known)
            replay.replayed = True
            return replay
        order = self.orders.get((request.tenant_id, request.order_id))
        if order is None:
            raise NotFound(f"no order {request.order_id}", code="order_not_found")
        accrued, earned = order
        share = Decimal(request.amount or accrued.total) / Decimal(accrued.total)
        reversed_points = min(_whole(share * earned.points_earned), earned.points_earned)
        wallet = self.wallet(request.tenant_id, earned.member_id)
        wallet.available -= reversed_points
        wallet.record("reverse", -reversed_points, "returned", order_id=request.order_id)
        answer = pb.ReturnOrderResponse(
            return_id=request.return_id,
            order_id=request.order_id,
            member_id=earned.member_id,
            points_reversed=reversed_points,
            balance=wallet.balance(),
        )
        self.returns[(request.tenant_id, request.return_id)] = answer
        return answer

    @override
    async def HoldPoints(
        self, request: pb.HoldPointsRequest, context: Context
    ) -> pb.HoldPointsResponse:
        self.holds.append(request)
        wallet = self.wallet(request.tenant_id, request.member_id)
        if wallet.available < request.points:
            raise FailedPrecondition(
                f"{request.points} wanted, {wallet.available} available",
                code="insufficient_points",
            )
        now = datetime.now(UTC)
        redemption = pb.Redemption(
            redemption_id=new_id("red_"),
            member_id=request.member_id,
            status="held",
            points=request.points,
            order_id=request.order_id,
            channel=request.channel,
            store_id=request.store_id,
            expires_at=timestamp(now + timedelta(seconds=request.hold_seconds)),
            created_at=timestamp(now),
        )
        self.redemptions[(request.tenant_id, redemption.redemption_id)] = redemption
        wallet.available -= request.points
        wallet.held += request.points
        if request.capture:
            self._capture(wallet, redemption)
        return pb.HoldPointsResponse(redemption=redemption, balance=wallet.balance())

    @override
    async def CaptureRedemption(
        self, request: pb.CaptureRedemptionRequest, context: Context
    ) -> pb.CaptureRedemptionResponse:
        redemption, wallet = self._redemption(request.tenant_id, request.redemption_id)
        if redemption.status == "held":
            self._capture(wallet, redemption)
        elif redemption.status != "captured":
            raise FailedPrecondition(f"it is {redemption.status}", code="redemption_not_held")
        return pb.CaptureRedemptionResponse(redemption=redemption, balance=wallet.balance())

    @override
    async def CancelRedemption(
        self, request: pb.CancelRedemptionRequest, context: Context
    ) -> pb.CancelRedemptionResponse:
        redemption, wallet = self._redemption(request.tenant_id, request.redemption_id)
        if redemption.status == "held":
            wallet.held -= redemption.points
            wallet.available += redemption.points
            redemption.status = "released"
        elif redemption.status == "captured":
            wallet.available += redemption.points
            wallet.record(
                "redeem_cancel",
                redemption.points,
                "cancelled",
                redemption_id=redemption.redemption_id,
            )
            redemption.status = "reversed"
        return pb.CancelRedemptionResponse(redemption=redemption, balance=wallet.balance())

    @override
    async def GetBalance(
        self, request: pb.GetBalanceRequest, context: Context
    ) -> pb.GetBalanceResponse:
        balance = self.wallet(request.tenant_id, request.member_id).balance()
        return pb.GetBalanceResponse(balance=balance)

    @override
    async def GetLedger(
        self, request: pb.GetLedgerRequest, context: Context
    ) -> pb.GetLedgerResponse:
        newest_first = self.wallet(request.tenant_id, request.member_id).entries[::-1]
        start = int(request.cursor or 0)
        end = start + request.limit
        next_cursor = str(end) if end < len(newest_first) else ""
        return pb.GetLedgerResponse(entries=newest_first[start:end], next_cursor=next_cursor)

    def _redemption(self, tenant_id: str, redemption_id: str) -> tuple[pb.Redemption, Wallet]:
        redemption = self.redemptions.get((tenant_id, redemption_id))
        if redemption is None:
            raise NotFound(f"no redemption {redemption_id}", code="redemption_not_found")
        return redemption, self.wallet(tenant_id, redemption.member_id)

    @staticmethod
    def _capture(wallet: Wallet, redemption: pb.Redemption) -> None:
        wallet.held -= redemption.points
        redemption_id = redemption.redemption_id
        wallet.record("redeem", -redemption.points, "redeemed", redemption_id=redemption_id)
        redemption.status = "captured"
