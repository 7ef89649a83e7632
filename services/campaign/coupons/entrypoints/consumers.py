"""The campaign service follows `member.merged` through a durable consumer, so that the
merged member's coupons belong to the survivor."""

from __future__ import annotations

from nats.aio.msg import Msg

from libs.inbox import EventConsumer, Subscription, origin_refusal, stream_of
from libs.logging import get_logger
from libs.nats import NatsConnector
from loyalty.member.v1 import events_pb2
from services.campaign.coupons.domain.ports import CouponUnitOfWork
from services.campaign.coupons.handlers.merge import CONSUMER, MoveCoupons, move_coupons

SUBSCRIPTION = Subscription(durable=CONSUMER, filter_subject="loyalty.*.member.merged")

log = get_logger(__name__)


def move_command(data: bytes) -> MoveCoupons:
    event = events_pb2.MemberMerged.FromString(data)
    return MoveCoupons(
        event_id=event.meta.event_id,
        tenant_id=event.meta.tenant_id,
        survivor_id=event.survivor_id,
        merged_id=event.merged_id,
    )


class CouponMergeHandler:
    def __init__(self, uow: CouponUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, msg: Msg) -> None:
        cmd = move_command(msg.data)
        # Only the member service may publish on its tenant's member.merged subject.
        kind = events_pb2.MemberMerged.FromString(msg.data).meta.type
        reason = origin_refusal(
            stream=stream_of(msg),
            subject=msg.subject,
            tenant_id=cmd.tenant_id,
            event_id=cmd.event_id,
            kind=kind,
            expected="member.merged",
        )
        if reason is None and (not cmd.merged_id or cmd.survivor_id in ("", cmd.merged_id)):
            reason = "names_no_two_members"
        if reason is not None:
            # Redelivering a message that can never apply would only block the others.
            log.error("member_merged_refused", subject=msg.subject, reason=reason)
            return
        moved = await move_coupons(cmd, self._uow)
        if moved is not None:
            log.info(
                "member_coupons_merged",
                survivor_id=cmd.survivor_id,
                merged_id=cmd.merged_id,
                coupons=moved,
            )


def coupon_merge_consumer(connector: NatsConnector, uow: CouponUnitOfWork) -> EventConsumer:
    return EventConsumer(connector, SUBSCRIPTION, CouponMergeHandler(uow))
