"""Protobuf messages shared by the gRPC API and the events."""

from __future__ import annotations

from libs.timestamps import timestamp
from loyalty.points.v1 import exchange_rates_pb2 as rates_pb
from loyalty.points.v1 import points_pb2 as pb
from services.points.domain.accrual import EarningLine
from services.points.domain.actors import Actor
from services.points.domain.balances import Balance, ExpiringPoints
from services.points.domain.exchange import Conversion


def balance_message(balance: Balance, *, with_lots: bool = False) -> pb.Balance:
    """The balance as the API answers it; `with_lots` (events) adds every lot's expiry."""
    return pb.Balance(
        available=balance.available,
        held=balance.held,
        pending=balance.pending,
        lifetime_earned=balance.lifetime_earned,
        expiring=_expiring(balance.expiring),
        lots=_expiring(balance.lots) if with_lots else [],
    )


def _expiring(points: tuple[ExpiringPoints, ...]) -> list[pb.ExpiringPoints]:
    return [pb.ExpiringPoints(points=e.points, expires_at=timestamp(e.expires_at)) for e in points]


def earning_line_message(line: EarningLine) -> pb.EarningLine:
    return pb.EarningLine(
        source=line.source.value,
        points=line.points,
        description=line.description,
        campaign_id=line.campaign_id,
        campaign_version=line.campaign_version,
        reason_code=line.reason_code,
        reason_params=dict(line.reason_params),
    )


def actor_message(actor: Actor) -> pb.Actor:
    return pb.Actor(channel=actor.channel, store_id=actor.store_id, key_id=actor.key_id)


def actor_from(message: pb.Actor) -> Actor:
    return Actor(message.channel, message.store_id, message.key_id)


def conversion_message(conversion: Conversion) -> rates_pb.OrderConversion:
    return rates_pb.OrderConversion(
        currency=conversion.currency,
        total=str(conversion.total),
        base_currency=conversion.base_currency,
        base_total=str(conversion.base_total),
        rate=str(conversion.rate),
        rate_valid_from=timestamp(conversion.valid_from),
    )
