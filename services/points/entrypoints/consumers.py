"""The points service follows `member.merged` and `member.erased` through durable consumers.

A merge moves a whole wallet, so the event is acted on only when everything about it
says it is the member service's: it came from the platform's stream on the subject of
its own tenant (only the member service's NATS user may publish `loyalty.*.member.>`),
it has an event id (its inbox claim makes it move once), its type is `member.merged`,
and it names two members.
"""

from __future__ import annotations

from google.protobuf.message import DecodeError
from nats.aio.msg import Msg

from libs.inbox import EventConsumer, Subscription, origin_refusal, stream_of
from libs.logging import get_logger
from libs.nats import NatsConnector
from loyalty.member.v1 import events_pb2
from services.points.domain.erasure import FreeTextEraser
from services.points.domain.merge_ports import MergeUnitOfWork
from services.points.handlers import erasure
from services.points.handlers.erasure import erase_free_text
from services.points.handlers.merge import CONSUMER, MergeWallets, merge_wallets

SUBSCRIPTION = Subscription(durable=CONSUMER, filter_subject="loyalty.*.member.merged")

log = get_logger(__name__)


EVENT_TYPE = "member.merged"


def merge_command(data: bytes) -> MergeWallets:
    event = events_pb2.MemberMerged.FromString(data)
    return MergeWallets(
        event_id=event.meta.event_id,
        tenant_id=event.meta.tenant_id,
        survivor_id=event.survivor_id,
        merged_id=event.merged_id,
    )


def refusal(*, stream: str, subject: str, data: bytes) -> str | None:
    """Why this message is not a merge the member service announced; None if it is."""
    try:
        event = events_pb2.MemberMerged.FromString(data)
    except DecodeError:
        return "unreadable"
    meta = event.meta
    origin = origin_refusal(
        stream=stream,
        subject=subject,
        tenant_id=meta.tenant_id,
        event_id=meta.event_id,
        kind=meta.type,
        expected=EVENT_TYPE,
    )
    if origin is not None:
        return origin
    if not event.merged_id or event.survivor_id in ("", event.merged_id):
        return "names_no_two_members"
    return None


class MemberMergedHandler:
    def __init__(self, uow: MergeUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, msg: Msg) -> None:
        reason = refusal(stream=stream_of(msg), subject=msg.subject, data=msg.data)
        if reason is not None:
            # Redelivering a message that can never apply would only block the others.
            log.error("member_merged_refused", subject=msg.subject, reason=reason)
            return
        command = merge_command(msg.data)
        event = await merge_wallets(command, self._uow)
        if event is not None:
            log.info(
                "member_points_merged",
                survivor_id=event.member_id,
                merged_id=event.merged_id,
                points=event.moved.points,
            )


def merge_consumer(connector: NatsConnector, uow: MergeUnitOfWork) -> EventConsumer:
    return EventConsumer(connector, SUBSCRIPTION, MemberMergedHandler(uow))


ERASURES = Subscription(durable=erasure.CONSUMER, filter_subject="loyalty.*.member.erased")


class MemberErasedHandler:
    def __init__(self, eraser: FreeTextEraser) -> None:
        self._eraser = eraser

    async def __call__(self, msg: Msg) -> None:
        event = events_pb2.MemberErased.FromString(msg.data)
        if not (event.meta.tenant_id and event.member_id):
            log.error("member_erased_unusable", subject=msg.subject)
            return
        changed = await erase_free_text(event.meta.tenant_id, event.member_id, self._eraser)
        log.info("member_free_text_erased", member_id=event.member_id, documents=changed)


def erasure_consumer(connector: NatsConnector, eraser: FreeTextEraser) -> EventConsumer:
    return EventConsumer(connector, ERASURES, MemberErasedHandler(eraser))
