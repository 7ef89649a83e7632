"""The points service follows `member.merged` and `member.erased` through durable consumers."""

from __future__ import annotations

from nats.aio.msg import Msg

from libs.inbox import EventConsumer, Subscription
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


def merge_command(data: bytes) -> MergeWallets:
    event = events_pb2.MemberMerged.FromString(data)
    return MergeWallets(
        event_id=event.meta.event_id,
        tenant_id=event.meta.tenant_id,
        survivor_id=event.survivor_id,
        merged_id=event.merged_id,
    )


class MemberMergedHandler:
    def __init__(self, uow: MergeUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, msg: Msg) -> None:
        command = merge_command(msg.data)
        if not (command.event_id and command.merged_id) or command.survivor_id in (
            "",
            command.merged_id,
        ):
            # Redelivering a message that can never apply would only block the others.
            log.error("member_merged_unusable", subject=msg.subject)
            return
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
