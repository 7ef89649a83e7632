"""Domain events of the member service as protobuf outbox messages."""

from __future__ import annotations

from google.protobuf.timestamp_pb2 import Timestamp

from libs.logging import current_request_id
from libs.outbox import OutboxMessage
from loyalty.common.v1.common_pb2 import EventMeta
from loyalty.member.v1.events_pb2 import MemberEnrolled as MemberEnrolledPb
from services.member.domain.members import MemberEnrolled

MEMBER_ENROLLED = "member.enrolled"


def to_outbox(event: MemberEnrolled) -> OutboxMessage:
    occurred = Timestamp()
    occurred.FromDatetime(event.occurred_at)
    meta = EventMeta(
        event_id=event.event_id,
        tenant_id=event.tenant_id,
        type=MEMBER_ENROLLED,
        occurred_at=occurred,
        request_id=current_request_id() or "",
    )
    payload = MemberEnrolledPb(
        meta=meta,
        member_id=event.member_id,
        channel=event.channel.value,
        store_id=event.store_id,
        identity_types=list(event.identity_types),
        tier_code=event.tier_code,
        consents=event.consents,
    )
    return OutboxMessage(
        event_id=event.event_id,
        tenant_id=event.tenant_id,
        event_type=MEMBER_ENROLLED,
        payload=payload.SerializeToString(),
        occurred_at=event.occurred_at,
    )
