"""Between protobuf messages and the points handlers: translation only, no rules."""

from __future__ import annotations

from typing import TypeVar

from libs.timestamps import optional_datetime, timestamp
from loyalty.points.v1 import points_pb2 as pb
from services.points.adapters.messages import (
    actor_from,
    actor_message,
    balance_message,
    earning_line_message,
)
from services.points.domain.earning import EarningRule, parse_points_per_unit
from services.points.domain.ledger import Entry
from services.points.domain.redemptions import Redemption
from services.points.handlers.commands import AccrueLine, AccrueOrder
from services.points.handlers.earning import AccrualAnswer
from services.points.handlers.preview import Preview
from services.points.handlers.redemptions import HoldPoints, RedemptionView
from services.points.handlers.returns import ReturnAnswer, ReturnOrder


def accrue_command(request: pb.AccrueOrderRequest) -> AccrueOrder:
    member = request.member
    return AccrueOrder(
        tenant_id=request.tenant_id,
        order_id=request.order_id,
        member_id=member.member_id,
        channel=request.channel,
        store_id=request.store_id,
        occurred_at=optional_datetime(request, "occurred_at"),
        currency=request.currency,
        total=request.total,
        lines=[
            AccrueLine(line.sku, line.category, line.quantity, line.unit_price)
            for line in request.lines
        ],
        tier_code=member.tier_code,
        tier_name=member.tier_name,
        tier_multiplier=member.tier_multiplier,
        enrolled_at=optional_datetime(member, "enrolled_at"),
        birth_month=member.birth_month,
        tier_names=dict(member.tier_name_translations),
    )


def accrual_response(answer: AccrualAnswer) -> pb.AccrueOrderResponse:
    accrual = answer.accrual
    return pb.AccrueOrderResponse(
        order_id=accrual.order_id,
        member_id=accrual.member_id,
        points_earned=accrual.points_earned,
        breakdown=[earning_line_message(line) for line in accrual.breakdown],
        bonus_pending=accrual.bonus_pending,
        balance=balance_message(accrual.balance),
        replayed=answer.replayed,
    )


def preview_response(answer: Preview) -> pb.PreviewOrderResponse:
    return pb.PreviewOrderResponse(
        points_earned=answer.points,
        breakdown=[earning_line_message(line) for line in answer.breakdown],
        bonus_pending=answer.bonus_pending,
        balance=balance_message(answer.balance),
    )


def return_command(request: pb.ReturnOrderRequest) -> ReturnOrder:
    return ReturnOrder(
        tenant_id=request.tenant_id,
        order_id=request.order_id,
        return_id=request.return_id,
        lines=[(line.sku, line.quantity) for line in request.lines],
        amount=request.amount,
        actor=actor_from(request.actor),
    )


def return_response(answer: ReturnAnswer) -> pb.ReturnOrderResponse:
    record = answer.record
    return pb.ReturnOrderResponse(
        return_id=record.return_id,
        order_id=record.order_id,
        member_id=record.member_id,
        points_reversed=record.points_reversed,
        balance=balance_message(record.balance),
        replayed=answer.replayed,
        shortfall=record.shortfall,
        actor=actor_message(record.actor),
    )


def hold_command(request: pb.HoldPointsRequest) -> HoldPoints:
    return HoldPoints(
        tenant_id=request.tenant_id,
        member_id=request.member_id,
        points=request.points,
        channel=request.channel,
        store_id=request.store_id,
        order_id=request.order_id,
        hold_seconds=request.hold_seconds,
        capture=request.capture,
        key_id=request.key_id,
    )


RedemptionAnswer = TypeVar(
    "RedemptionAnswer",
    pb.HoldPointsResponse,
    pb.CaptureRedemptionResponse,
    pb.CancelRedemptionResponse,
)


def redemption_response(view: RedemptionView, answer: type[RedemptionAnswer]) -> RedemptionAnswer:
    """The redemption after a step (hold, capture, cancel) as that step's answer."""
    return answer(
        redemption=redemption_message(view.redemption), balance=balance_message(view.balance)
    )


def redemption_message(r: Redemption) -> pb.Redemption:
    return pb.Redemption(
        redemption_id=r.redemption_id,
        member_id=r.member_id,
        status=r.status.value,
        points=r.points,
        order_id=r.order_id,
        channel=r.channel,
        store_id=r.store_id,
        expires_at=timestamp(r.expires_at),
        created_at=timestamp(r.created_at),
        held_by=actor_message(r.held_by),
        cancelled_by=actor_message(r.cancelled_by),
    )


def entry_message(entry: Entry) -> pb.LedgerEntry:
    return pb.LedgerEntry(
        entry_id=entry.entry_id,
        type=entry.type.value,
        points=entry.points,
        order_id=entry.order_id,
        reason=entry.reason,
        campaign_id=entry.campaign_id,
        created_at=timestamp(entry.created_at),
        redemption_id=entry.redemption_id,
        return_id=entry.return_id,
        adjustment_id=entry.adjustment_id,
        transfer_id=entry.transfer_id,
        reason_code=entry.reason_code,
        reason_params=dict(entry.reason_params),
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
        allow_adjustment_debt=message.allow_adjustment_debt,
        transfer_limit_per_day=message.transfer_limit_per_day,
        time_zone=message.time_zone or "UTC",
        expiry_policy=message.expiry_policy,
        expiry_days=message.expiry_days,
        return_shortfall=message.return_shortfall or "debt",
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
        allow_adjustment_debt=rule.allow_adjustment_debt,
        transfer_limit_per_day=rule.transfer_limit_per_day,
        time_zone=rule.time_zone,
        expiry_policy=rule.policy.value,
        expiry_days=rule.expiry_days,
        return_shortfall=rule.return_shortfall,
        version=rule.version,
    )
