"""Between the points JSON of docs/api.md and the protobuf messages of PointsService."""

from __future__ import annotations

from datetime import datetime

from google.protobuf.timestamp_pb2 import Timestamp

from gateway.access.touchpoints import Touchpoint
from gateway.points.answers import (
    AppliedCampaignOut,
    CreditedLineOut,
    ExpiringOut,
    LedgerEntryOut,
    LedgerOut,
    LocalizedReasonOut,
    OrderConversionOut,
    OrderDetailOut,
    OrderOut,
    OrderReturnOut,
    PointsOut,
    RedemptionOut,
    ReturnOut,
    SkippedCampaignOut,
)
from gateway.points.bodies import RedemptionBody, ReturnBody
from gateway.points.skip_reasons import skip_reason
from gateway.shared.translate import balance_from_proto, earning_line_out
from gateway.tenancy.keys import ApiKey
from libs.balance_view import BalanceView
from libs.reasons import render
from libs.timestamps import aware
from loyalty.points.v1 import points_pb2 as pb
from loyalty.points.v1.exchange_rates_pb2 import OrderConversion


def _time_if(present: bool, stamp: Timestamp) -> datetime | None:
    return aware(stamp) if present else None


def return_request(
    body: ReturnBody, *, tenant_id: str, order_id: str, actor: pb.Actor
) -> pb.ReturnOrderRequest:
    return pb.ReturnOrderRequest(
        tenant_id=tenant_id,
        order_id=order_id,
        return_id=body.return_id,
        lines=[pb.ReturnLine(sku=line.sku, quantity=line.quantity) for line in body.lines or ()],
        amount="" if body.amount is None else str(body.amount),
        actor=actor,
    )


def actor_of(caller: ApiKey, store_id: str | None, channel: str | None = None) -> pb.Actor:
    """Who asks, as the points service records it: the channel it acts for (the key's
    unless an operator names one), the key's id (never its secret) and the store."""
    return pb.Actor(
        channel=channel or caller.channel, store_id=store_id or "", key_id=caller.key_id
    )


def own_store(caller: ApiKey) -> str | None:
    """The one store a caller is bound to; None when bound to none or to several."""
    bound = caller.bound_stores
    return next(iter(bound)) if len(bound) == 1 else None


def hold_request(
    body: RedemptionBody, *, tenant_id: str, at: Touchpoint, member_id: str, key_id: str
) -> pb.HoldPointsRequest:
    return pb.HoldPointsRequest(
        tenant_id=tenant_id,
        member_id=member_id,
        points=body.points,
        order_id=body.order_id or "",
        channel=at.channel,
        store_id=at.store_id or "",
        hold_seconds=body.hold_seconds,
        capture=body.capture,
        key_id=key_id,
    )


def order_from_proto(reply: pb.AccrueOrderResponse, locale: str | None = None) -> OrderOut:
    return OrderOut(
        order_id=reply.order_id,
        member_id=reply.member_id,
        points_earned=reply.points_earned,
        breakdown=[earning_line_out(line, locale) for line in reply.breakdown],
        bonus_pending=reply.bonus_pending,
        balance=balance_from_proto(reply.balance),
    )


def _skipped(skipped: pb.SkippedCampaign) -> SkippedCampaignOut:
    reason = skip_reason(skipped.reason)
    return SkippedCampaignOut(
        campaign_id=skipped.campaign_id,
        campaign_version=skipped.campaign_version,
        reason=reason.code,
        reason_text=reason.text,
        excluded_by=reason.excluded_by,
    )


def order_detail_from_proto(
    reply: pb.GetOrderResponse, locale: str | None = None
) -> OrderDetailOut:
    return OrderDetailOut(
        order_id=reply.order_id,
        member_id=reply.member_id,
        channel=reply.channel,
        store_id=reply.store_id or None,
        occurred_at=_time_if(reply.HasField("occurred_at"), reply.occurred_at),
        credited_at=_time_if(reply.HasField("credited_at"), reply.credited_at),
        currency=reply.currency,
        total=reply.total,
        lines=[
            CreditedLineOut(
                sku=line.sku,
                category=line.category,
                quantity=line.quantity,
                amount=line.amount,
                base_points=line.base_points,
            )
            for line in reply.lines
        ],
        points_earned=reply.points_earned,
        breakdown=[earning_line_out(line, locale) for line in reply.breakdown],
        bonus_pending=reply.bonus_pending,
        applied=[
            AppliedCampaignOut(
                campaign_id=a.campaign_id,
                campaign_version=a.campaign_version,
                kind=a.kind,
                points=a.points,
                description=a.description,
            )
            for a in reply.applied
        ],
        skipped=[_skipped(s) for s in reply.skipped],
        returns=[
            OrderReturnOut(
                return_id=r.return_id,
                points_reversed=r.points_reversed,
                shortfall=r.shortfall,
                created_at=_time_if(r.HasField("created_at"), r.created_at),
                channel=r.actor.channel or None,
                store_id=r.actor.store_id or None,
                key_id=r.actor.key_id or None,
            )
            for r in reply.returns
        ],
        points_reversed=reply.points_reversed,
        returned_amount=reply.returned_amount,
        conversion=_conversion(reply.conversion) if reply.HasField("conversion") else None,
    )


def _conversion(conversion: OrderConversion) -> OrderConversionOut:
    return OrderConversionOut(
        base_currency=conversion.base_currency,
        base_total=conversion.base_total,
        rate=conversion.rate,
        rate_valid_from=aware(conversion.rate_valid_from),
    )


def return_from_proto(reply: pb.ReturnOrderResponse) -> ReturnOut:
    return ReturnOut(
        return_id=reply.return_id,
        order_id=reply.order_id,
        points_reversed=reply.points_reversed,
        shortfall=reply.shortfall,
        balance=balance_from_proto(reply.balance),
    )


def redemption_from_proto(
    reply: pb.HoldPointsResponse | pb.CaptureRedemptionResponse | pb.CancelRedemptionResponse,
) -> RedemptionOut:
    redemption = reply.redemption
    return RedemptionOut(
        redemption_id=redemption.redemption_id,
        member_id=redemption.member_id,
        status=redemption.status,
        points=redemption.points,
        order_id=redemption.order_id or None,
        store_id=redemption.store_id or None,
        expires_at=_time_if(redemption.HasField("expires_at"), redemption.expires_at),
        created_at=_time_if(redemption.HasField("created_at"), redemption.created_at),
        balance=balance_from_proto(reply.balance),
    )


def points_from_proto(balance: pb.Balance) -> PointsOut:
    return PointsOut(
        available=balance.available,
        held=balance.held,
        pending=balance.pending,
        lifetime_earned=balance.lifetime_earned,
        expiring=[
            ExpiringOut(points=lot.points, expires_at=aware(lot.expires_at))
            for lot in balance.expiring
        ],
    )


def points_from_view(view: BalanceView, now: datetime) -> PointsOut:
    """The balance read model's entry as `points_from_proto` answers it at `now`."""
    return PointsOut(
        available=view.available,
        held=view.held,
        pending=view.pending,
        lifetime_earned=view.lifetime_earned,
        expiring=[ExpiringOut(points=p, expires_at=at) for at, p in view.expiring(now)],
    )


def ledger_entry_out(entry: pb.LedgerEntry, locale: str | None) -> LedgerEntryOut:
    """The entry, with its reason in `locale` when one is given."""
    params = dict(entry.reason_params)
    rendered = None
    if locale is not None:
        rendered = LocalizedReasonOut(
            reason=render(entry.reason_code, params, entry.reason, locale)
        )
    return LedgerEntryOut(
        entry_id=entry.entry_id,
        type=entry.type,
        points=entry.points,
        order_id=entry.order_id or None,
        reason=entry.reason,
        campaign_id=entry.campaign_id or None,
        redemption_id=entry.redemption_id or None,
        return_id=entry.return_id or None,
        created_at=_time_if(entry.HasField("created_at"), entry.created_at),
        reason_code=entry.reason_code or None,
        reason_params=params,
        localized=rendered,
    )


def ledger_from_proto(reply: pb.GetLedgerResponse, locale: str | None = None) -> LedgerOut:
    return LedgerOut(
        entries=[ledger_entry_out(entry, locale) for entry in reply.entries],
        next_cursor=reply.next_cursor or None,
    )
