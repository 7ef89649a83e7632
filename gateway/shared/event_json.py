"""The stream's event types and each event's JSON form, for webhooks and members' timelines.

The same events as the stream (docs/architecture.md), decoded from their protobuf. The
payload is the event's fields without its header (`meta`) and without free text an
operator typed (a grant's reason, a breakdown line's description, who acted) and the
member's birth month a purchase carries for campaigns: no personal data. Timestamps are ISO 8601,
points integers, money decimal strings, as in the API.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from loyalty.campaign.v1 import campaign_events_pb2 as campaign_pb
from loyalty.campaign.v1 import coupon_events_pb2 as coupon_pb
from loyalty.member.v1 import events_pb2 as member_pb
from loyalty.points.v1 import events_pb2 as points_pb
from loyalty.points.v1 import merge_events_pb2 as merge_pb

EVENT_TYPES: dict[str, type[Message]] = {
    "member.enrolled": member_pb.MemberEnrolled,
    "member.tier_changed": member_pb.MemberTierChanged,
    "member.merged": member_pb.MemberMerged,
    "member.consents_changed": member_pb.MemberConsentsChanged,
    "member.erased": member_pb.MemberErased,
    "points.earned": points_pb.PointsEarned,
    "points.granted": points_pb.PointsGranted,
    "points.held": points_pb.PointsHeld,
    "points.redeemed": points_pb.PointsRedeemed,
    "points.released": points_pb.PointsReleased,
    "points.reversed": points_pb.PointsReversed,
    "points.confirmed": points_pb.PointsConfirmed,
    "points.expired": points_pb.PointsExpired,
    "points.expiring": points_pb.PointsExpiring,
    "points.adjusted": points_pb.PointsAdjusted,
    "points.transferred": points_pb.PointsTransferred,
    "points.merged": merge_pb.PointsMerged,
    "campaign.changed": campaign_pb.CampaignChanged,
    "coupon.issued": coupon_pb.CouponIssued,
    "coupon.redeemed": coupon_pb.CouponRedeemed,
}
# Never sent, at any depth: the header, free text an operator typed (it may name a
# member), who acted, and a member's birth month.
FREE_TEXT = frozenset({"meta", "reason", "description", "actor", "note", "birth_month"})
# Where a field of that name is a code rather than text.
CODES = {"member.tier_changed": frozenset({"reason"})}


def _value(field: Any, value: Any, dropped: frozenset[str]) -> Any:
    if field.type != FieldDescriptor.TYPE_MESSAGE:
        return value
    if isinstance(value, Timestamp):
        return value.ToDatetime(tzinfo=UTC).isoformat() if value.seconds or value.nanos else None
    return plain(value, dropped)


def plain(message: Message, dropped: frozenset[str] = FREE_TEXT) -> dict[str, Any]:
    """Every field (defaults included), int64 kept as integers unlike proto3's JSON."""
    out: dict[str, Any] = {}
    field: Any
    for field in message.DESCRIPTOR.fields:
        if field.name in dropped:
            continue
        value = getattr(message, field.name)
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            entry = field.message_type.fields_by_name["value"]
            out[field.name] = {k: _value(entry, v, dropped) for k, v in value.items()}
        elif field.is_repeated:
            out[field.name] = [_value(field, item, dropped) for item in value]
        elif field.type == FieldDescriptor.TYPE_MESSAGE and not message.HasField(field.name):
            out[field.name] = None
        else:
            out[field.name] = _value(field, value, dropped)
    return out


def decode(event_type: str, payload: bytes) -> tuple[dict[str, Any], datetime | None]:
    """The JSON form of an event of a known type and when it occurred (raises
    DecodeError when unreadable)."""
    message = EVENT_TYPES[event_type]()
    message.ParseFromString(payload)
    stamp: Timestamp = message.meta.occurred_at  # type: ignore[attr-defined]
    occurred = stamp.ToDatetime(tzinfo=UTC) if stamp.seconds else None
    return plain(message, FREE_TEXT - CODES.get(event_type, frozenset())), occurred
