"""Domain events of the member service as protobuf outbox messages. No personal data."""

from __future__ import annotations

from google.protobuf.message import Message

from libs.events import event_meta, outbox_message
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


_EVENT_TYPES: dict[type[DomainEvent], str] = {
    MemberEnrolled: MEMBER_ENROLLED,
    MemberErased: MEMBER_ERASED,
    MemberMerged: MEMBER_MERGED,
    MemberConsentsChanged: MEMBER_CONSENTS_CHANGED,
    MemberTierChanged: MEMBER_TIER_CHANGED,
}


def _payload(event: DomainEvent, meta: EventMeta) -> Message:
    if isinstance(event, MemberEnrolled):
        return pb.MemberEnrolled(
            meta=meta,
            member_id=event.member_id,
            channel=event.channel.value,
            store_id=event.store_id,
            identity_types=list(event.identity_types),
            tier_code=event.tier_code,
            consents=event.consents,
        )
    if isinstance(event, MemberErased):
        return pb.MemberErased(meta=meta, member_id=event.member_id)
    if isinstance(event, MemberMerged):
        return pb.MemberMerged(meta=meta, survivor_id=event.survivor_id, merged_id=event.merged_id)
    if isinstance(event, MemberConsentsChanged):
        return pb.MemberConsentsChanged(
            meta=meta, member_id=event.member_id, consents=event.consents
        )
    assert isinstance(event, MemberTierChanged)
    return pb.MemberTierChanged(
        meta=meta,
        member_id=event.member_id,
        from_tier=event.from_tier,
        to_tier=event.to_tier,
        reason=event.reason,
    )


def to_outbox(event: DomainEvent) -> OutboxMessage:
    meta = event_meta(event.event_id, event.tenant_id, _EVENT_TYPES[type(event)], event.occurred_at)
    return outbox_message(meta, _payload(event, meta))
