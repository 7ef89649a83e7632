"""Domain events of the member service as protobuf outbox messages. No personal data."""

from __future__ import annotations

from datetime import datetime

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from libs.logging import current_request_id
from libs.outbox import OutboxMessage
from loyalty.common.v1.common_pb2 import EventMeta
from loyalty.member.v1 import events_pb2 as pb
from services.member.domain.members import (
    DomainEvent,
    MemberConsentsChanged,
    MemberEnrolled,
    MemberErased,
    MemberMerged,
    MemberTierChanged,
)

MEMBER_ENROLLED = "member.enrolled"
MEMBER_ERASED = "member.erased"
MEMBER_TIER_CHANGED = "member.tier_changed"
MEMBER_MERGED = "member.merged"
MEMBER_CONSENTS_CHANGED = "member.consents_changed"


def _meta(event_id: str, tenant_id: str, event_type: str, occurred_at: datetime) -> EventMeta:
    occurred = Timestamp()
    occurred.FromDatetime(occurred_at)
    return EventMeta(
        event_id=event_id,
        tenant_id=tenant_id,
        type=event_type,
        occurred_at=occurred,
        request_id=current_request_id() or "",
    )


def _payload(event: DomainEvent) -> tuple[str, Message]:
    if isinstance(event, MemberEnrolled):
        meta = _meta(event.event_id, event.tenant_id, MEMBER_ENROLLED, event.occurred_at)
        return MEMBER_ENROLLED, pb.MemberEnrolled(
            meta=meta,
            member_id=event.member_id,
            channel=event.channel.value,
            store_id=event.store_id,
            identity_types=list(event.identity_types),
            tier_code=event.tier_code,
            consents=event.consents,
        )
    if isinstance(event, MemberErased):
        meta = _meta(event.event_id, event.tenant_id, MEMBER_ERASED, event.occurred_at)
        return MEMBER_ERASED, pb.MemberErased(meta=meta, member_id=event.member_id)
    if isinstance(event, MemberMerged):
        meta = _meta(event.event_id, event.tenant_id, MEMBER_MERGED, event.occurred_at)
        return MEMBER_MERGED, pb.MemberMerged(
            meta=meta, survivor_id=event.survivor_id, merged_id=event.merged_id
        )
    if isinstance(event, MemberConsentsChanged):
        meta = _meta(event.event_id, event.tenant_id, MEMBER_CONSENTS_CHANGED, event.occurred_at)
        return MEMBER_CONSENTS_CHANGED, pb.MemberConsentsChanged(
            meta=meta, member_id=event.member_id, consents=event.consents
        )
    assert isinstance(event, MemberTierChanged)
    meta = _meta(event.event_id, event.tenant_id, MEMBER_TIER_CHANGED, event.occurred_at)
    return MEMBER_TIER_CHANGED, pb.MemberTierChanged(
        meta=meta,
        member_id=event.member_id,
        from_tier=event.from_tier,
        to_tier=event.to_tier,
        reason=event.reason,
    )


def to_outbox(event: DomainEvent) -> OutboxMessage:
    event_type, payload = _payload(event)
    return OutboxMessage(
        event_id=event.event_id,
        tenant_id=event.tenant_id,
        event_type=event_type,
        payload=payload.SerializeToString(),
        occurred_at=event.occurred_at,
    )
