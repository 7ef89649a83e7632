"""The campaign service learns purchases and members from the points and member services'
events, through two durable consumers; the points one also settles each order's campaign
bonuses (purchases.py). Each takes its events in batches: a batch's effects and their
inbox claims in one transaction (libs/inbox.py), so a redelivery changes nothing. A
`points.earned` needs no inbox row: the order's purchase document records it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal, InvalidOperation

from nats.aio.msg import Msg

from libs.inbox import EventConsumer, Subscription, claim_events
from libs.logging import get_logger
from libs.mongo import Database, MongoClient, Session, run_in_transaction
from libs.nats import NatsConnector
from libs.timestamps import aware, optional_datetime
from loyalty.member.v1 import events_pb2 as member_pb
from loyalty.points.v1 import events_pb2 as points_pb
from services.campaign.campaigns.adapters.history import HistoryWriter, Recorded
from services.campaign.campaigns.domain.daily import zone_day
from services.campaign.campaigns.domain.history import (
    MemberFacts,
    OrderRecord,
    RecordedLine,
    returned_share,
    to_cents,
)
from services.campaign.campaigns.domain.leases import is_lease
from services.campaign.campaigns.entrypoints.consumers.purchases import PurchaseSettling
from services.campaign.campaigns.handlers.purchase_bonus import CONSUMER, Confirmation

POINTS_CONSUMER = CONSUMER
MEMBERS_CONSUMER = "campaign-history-members"
POINTS_EVENTS = Subscription(durable=POINTS_CONSUMER, filter_subject="loyalty.*.points.>")
MEMBER_EVENTS = Subscription(durable=MEMBERS_CONSUMER, filter_subject="loyalty.*.member.>")
# The points events wait a quarter of a second for others: a batch counts each budget
# lease it paid from with one write and commits once, however many orders it holds (the
# bonus of an order answered with its bonus pending is paid that much later).
POINTS_LINGER_SECONDS = 0.25
log = get_logger(__name__)

# An event's effect; False when the document it writes shows the event was handled before.
Work = Callable[[HistoryWriter], Awaitable[bool]]


def _amount(raw: str) -> Decimal:
    try:
        value = Decimal(raw or "0")
    except InvalidOperation:
        return Decimal(0)
    return value if value.is_finite() else Decimal(0)


def order_of(event: points_pb.PointsEarned) -> OrderRecord:
    return OrderRecord(
        tenant_id=event.meta.tenant_id,
        order_id=event.order_id,
        member_id=event.member_id,
        occurred_at=optional_datetime(event, "order_occurred_at") or aware(event.meta.occurred_at),
        channel=event.channel,
        store_id=event.store_id,
        currency=event.currency,
        total_cents=to_cents(_amount(event.total)),
        points=event.points,
        lines=tuple(
            RecordedLine(
                line.sku, line.category, line.quantity, _amount(line.amount), line.base_points
            )
            for line in event.lines
        ),
        tier_code=event.tier_code,
        enrolled_at=optional_datetime(event, "member_enrolled_at"),
    )


async def _reversed(writer: HistoryWriter, event: points_pb.PointsReversed) -> bool:
    order = await writer.order(event.meta.tenant_id, event.order_id)
    if order is None:
        return True
    cents = returned_share(order.points, order.total_cents, event.points)
    await writer.record_return(order, min(cents, order.spend_cents))
    return True


async def _earned(writer: HistoryWriter, earned: points_pb.PointsEarned) -> bool:
    """The order's purchase document records the event; for an erased member, whose
    orders are no longer recorded, an inbox row does. The member's facts take the
    campaigns whose lease bonuses the order was credited with (members reached), so
    counting those bonuses (purchases.py) writes no facts again."""
    event_id = earned.meta.event_id
    leased = {h.campaign_id for h in earned.campaign_holds if is_lease(h.reservation_id)}
    order = order_of(earned)
    day = zone_day(order.occurred_at, earned.time_zone)  # the lease grants' day (purchases.py)
    recorded = await writer.record_earned(order, event_id, sorted(leased), day)
    if recorded is Recorded.ERASED:
        return await writer.claim(POINTS_CONSUMER, event_id)
    return recorded is Recorded.NEW


def claims_itself(subject: str) -> bool:
    """The points events whose effect's own document is their record (`_earned`)."""
    return subject.endswith(".points.earned")


def member_claims_itself(subject: str) -> bool:
    """A tier change is applied only if newer than the facts' (`HistoryWriter.tier_changed`),
    so its redelivery changes nothing without an inbox row."""
    return subject.endswith(".member.tier_changed")


def points_work(subject: str, data: bytes) -> tuple[str, Work | None]:
    if subject.endswith(".points.earned"):
        earned = points_pb.PointsEarned.FromString(data)
        return earned.meta.event_id, lambda w: _earned(w, earned)
    if subject.endswith(".points.reversed"):
        reversal = points_pb.PointsReversed.FromString(data)
        return reversal.meta.event_id, lambda w: _reversed(w, reversal)
    return "", None


def _enrolled(data: bytes) -> tuple[str, Work | None]:
    e = member_pb.MemberEnrolled.FromString(data)
    facts = MemberFacts(
        tenant_id=e.meta.tenant_id,
        member_id=e.member_id,
        tier_code=e.tier_code,
        channel=e.channel,
        store_id=e.store_id,
        enrolled_at=aware(e.meta.occurred_at),
        consents=dict(e.consents),
    )
    return e.meta.event_id, lambda w: _done(w.enrolled(facts))


def _tier_changed(data: bytes) -> tuple[str, Work | None]:
    t = member_pb.MemberTierChanged.FromString(data)
    at = aware(t.meta.occurred_at)
    return t.meta.event_id, lambda w: _done(
        w.tier_changed(t.meta.tenant_id, t.member_id, t.to_tier, at)
    )


def _consents_changed(data: bytes) -> tuple[str, Work | None]:
    c = member_pb.MemberConsentsChanged.FromString(data)
    consents = dict(c.consents)
    return c.meta.event_id, lambda w: _done(
        w.consents_changed(c.meta.tenant_id, c.member_id, consents)
    )


def _merged(data: bytes) -> tuple[str, Work | None]:
    m = member_pb.MemberMerged.FromString(data)
    if not m.survivor_id or m.survivor_id == m.merged_id:
        return "", None
    return m.meta.event_id, lambda w: _done(w.merged(m.meta.tenant_id, m.survivor_id, m.merged_id))


def _erased(data: bytes) -> tuple[str, Work | None]:
    x = member_pb.MemberErased.FromString(data)
    at = aware(x.meta.occurred_at)
    return x.meta.event_id, lambda w: _done(w.erased(x.meta.tenant_id, x.member_id, at))


MEMBER_WORK: dict[str, Callable[[bytes], tuple[str, Work | None]]] = {
    "enrolled": _enrolled,
    "tier_changed": _tier_changed,
    "consents_changed": _consents_changed,
    "merged": _merged,
    "erased": _erased,
}


def member_work(subject: str, data: bytes) -> tuple[str, Work | None]:
    parse = MEMBER_WORK.get(subject.rsplit(".", 1)[-1])
    return ("", None) if parse is None else parse(data)


async def _done(done: Awaitable[None]) -> bool:
    await done
    return True


class HistoryHandler:
    def __init__(
        self,
        client: MongoClient,
        db: Database,
        consumer: str,
        parse: Callable[[str, bytes], tuple[str, Work | None]],
        settling: PurchaseSettling | None = None,
        *,
        claims_itself: Callable[[str], bool] = lambda subject: False,
    ) -> None:
        self._client = client
        self._db = db
        self._consumer = consumer
        self._parse = parse
        self._settling = settling
        self._claims_itself = claims_itself

    async def __call__(self, msg: Msg) -> None:
        await self.batch([msg])

    async def batch(self, messages: Sequence[Msg]) -> None:
        items: list[tuple[str, Work, Confirmation | None]] = []
        recorded_elsewhere: set[str] = set()
        for msg in messages:
            event_id, work = self._parse(msg.subject, msg.data)
            if work is None or not event_id:
                continue  # an event this consumer does not follow, or one that can never apply
            settled = None
            if self._settling is not None:
                settled = await self._settling.prepare(msg.subject, msg.data)
            items.append((event_id, work, settled))
            if self._claims_itself(msg.subject):
                recorded_elsewhere.add(event_id)
        if not items:
            return
        done: list[Confirmation] = []

        async def unit(session: Session) -> None:
            done.clear()
            fresh = await claim_events(
                self._db,
                session,
                self._consumer,
                [i[0] for i in items],
                recorded_elsewhere=recorded_elsewhere,
            )
            writer = HistoryWriter(self._db, session)
            for event_id, work, settled in items:
                if event_id not in fresh:
                    continue
                fresh.discard(event_id)  # the same event twice in one batch: once
                if await work(writer) and settled is not None:
                    done.append(settled)
            if done and self._settling is not None:
                await self._settling.apply(done, session)

        await run_in_transaction(self._client, unit)
        if self._settling is not None:
            for settled in done:
                self._settling.applied(settled)


def history_consumers(
    connector: NatsConnector, client: MongoClient, db: Database
) -> list[EventConsumer]:
    """The member facts; the points events' consumer is `points_consumer`."""
    members = HistoryHandler(
        client, db, MEMBERS_CONSUMER, member_work, claims_itself=member_claims_itself
    )
    return [EventConsumer(connector, MEMBER_EVENTS, members)]


def points_handler(client: MongoClient, db: Database, settling: PurchaseSettling) -> HistoryHandler:
    return HistoryHandler(
        client, db, POINTS_CONSUMER, points_work, settling, claims_itself=claims_itself
    )


def points_consumer(
    connector: NatsConnector, client: MongoClient, db: Database, settling: PurchaseSettling
) -> EventConsumer:
    """One consumer of the points events: the purchase history and the orders' bonuses."""
    handler = points_handler(client, db, settling)
    return EventConsumer(connector, POINTS_EVENTS, handler, linger_seconds=POINTS_LINGER_SECONDS)
