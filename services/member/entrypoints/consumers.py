"""The points events the member service follows to move tiers: a durable consumer.

Purchases (`points.earned`), their bonuses granted later (`points.granted` naming an
order), returns (`points.reversed`) and merged wallets (`points.merged`) come in stream
order through one durable consumer; other points events (and rewards that name no order)
are acknowledged and ignored. The consumer takes what a fetch brings and counts it in one
transaction (one by one when that fails: libs/inbox.py). The events' ids are recorded in
the members' tier books, not in inbox rows (domain/tier_book.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation

from nats.aio.msg import Msg

from libs.inbox import EventConsumer, Subscription
from libs.logging import get_logger
from libs.nats import NatsConnector
from libs.timestamps import aware
from loyalty.points.v1 import events_pb2, merge_events_pb2
from services.member.domain.ports import UnitOfWork
from services.member.handlers.qualifying import (
    AS_USUAL,
    CONSUMER,
    CountBonus,
    Counting,
    CountPurchase,
    CountReturn,
    RecountMember,
    Work,
    bonus_work,
    count_together,
    purchase_work,
    recount_work,
    return_work,
)

SUBSCRIPTION = Subscription(durable=CONSUMER, filter_subject="loyalty.*.points.>")
# Events wait a quarter of a second for others, so that a batch reads its members, their
# merges and their books once and commits once (an upgrade comes that much later).
LINGER_SECONDS = 0.25

log = get_logger(__name__)


def event_type_of(msg: Msg) -> str:
    """`points.earned` from the header the relay sets, else from the subject."""
    found = (msg.headers or {}).get("Loyalty-Event-Type", "")
    return found or msg.subject.split(".", 2)[-1]


def _spend(total: str) -> Decimal:
    try:
        return Decimal(total or "0")
    except InvalidOperation:
        log.warning("points_event_total_unreadable", total=total)
        return Decimal(0)


def purchase_from(data: bytes) -> CountPurchase:
    event = events_pb2.PointsEarned.FromString(data)
    return CountPurchase(
        event_id=event.meta.event_id,
        tenant_id=event.meta.tenant_id,
        member_id=event.member_id,
        order_id=event.order_id,
        occurred_at=aware(event.order_occurred_at),
        points=event.points,
        spend=_spend(event.total),
    )


def return_from(data: bytes) -> CountReturn:
    event = events_pb2.PointsReversed.FromString(data)
    return CountReturn(
        event_id=event.meta.event_id,
        tenant_id=event.meta.tenant_id,
        member_id=event.member_id,
        order_id=event.order_id,
        points=event.points,
        at=aware(event.meta.occurred_at),
    )


def bonus_from(data: bytes) -> CountBonus | None:
    event = events_pb2.PointsGranted.FromString(data)
    if not event.order_id:
        return None
    return CountBonus(
        event_id=event.meta.event_id,
        tenant_id=event.meta.tenant_id,
        member_id=event.member_id,
        order_id=event.order_id,
        points=event.points,
        at=aware(event.meta.occurred_at),
    )


def _bonus_work(data: bytes, how: Counting) -> Work | None:
    bonus = bonus_from(data)
    return None if bonus is None else bonus_work(bonus, how)


def recount_from(data: bytes) -> RecountMember:
    event = merge_events_pb2.PointsMerged.FromString(data)
    return RecountMember(event.meta.event_id, event.meta.tenant_id, event.member_id)


WORK: dict[str, Callable[[bytes, Counting], Work | None]] = {
    "points.earned": lambda data, how: purchase_work(purchase_from(data), how),
    "points.reversed": lambda data, how: return_work(return_from(data), how),
    "points.granted": _bonus_work,
    "points.merged": lambda data, how: recount_work(recount_from(data), how),
}


def work_of(msg: Msg, how: Counting = AS_USUAL) -> Work | None:
    parse = WORK.get(event_type_of(msg))
    return None if parse is None else parse(msg.data, how)


class PointsEventHandler:
    """Turns messages into commands, counted in one transaction; a failure leaves them
    to be redelivered."""

    def __init__(self, uow: UnitOfWork, how: Counting = AS_USUAL) -> None:
        self._uow = uow
        self._how = how

    async def __call__(self, msg: Msg) -> None:
        await self.batch([msg])

    async def batch(self, messages: Sequence[Msg]) -> None:
        works = [w for w in (work_of(m, self._how) for m in messages) if w is not None]
        if works:
            await count_together(works, self._uow)


def points_event_consumer(
    connector: NatsConnector, uow: UnitOfWork, *, legacy_claims: bool = False
) -> EventConsumer:
    """`legacy_claims`: the inbox still holds rows of this consumer from the versions
    before the tier books (they expire with the stream's retention)."""
    handler = PointsEventHandler(uow, Counting(legacy_claims=legacy_claims))
    return EventConsumer(connector, SUBSCRIPTION, handler, linger_seconds=LINGER_SECONDS)
