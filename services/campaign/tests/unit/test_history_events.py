"""Which events feed the purchase history and member facts, and how an order reads."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from loyalty.common.v1.common_pb2 import EventMeta
from loyalty.member.v1 import events_pb2 as member_pb
from loyalty.points.v1 import events_pb2 as points_pb
from services.campaign.campaigns.entrypoints.consumers.history import (
    member_work,
    order_of,
    points_work,
)

AT = datetime(2026, 11, 20, 2, 15, tzinfo=UTC)


def earned() -> points_pb.PointsEarned:
    event = points_pb.PointsEarned(
        meta=EventMeta(event_id="ev-1", tenant_id="demo", type="points.earned"),
        member_id="m1",
        order_id="POS-1",
        channel="pos",
        store_id="S001",
        currency="CNY",
        total="398.50",
        points=797,
        tier_code="gold",
        lines=[
            points_pb.EarnedLine(
                sku="SHOE-1", category="shoes", quantity=1, amount="299.50", base_points=299
            )
        ],
    )
    event.order_occurred_at.FromDatetime(AT)
    return event


def test_an_earned_event_becomes_an_order_in_minor_units_at_the_time_it_happened() -> None:
    order = order_of(earned())
    assert (order.tenant_id, order.order_id, order.member_id) == ("demo", "POS-1", "m1")
    assert (order.total_cents, order.points, order.occurred_at) == (39850, 797, AT)
    assert [(line.sku, line.amount, line.base_points) for line in order.lines] == [
        ("SHOE-1", Decimal("299.50"), 299)
    ]
    assert order.enrolled_at is None


def test_only_earned_and_reversed_points_events_are_followed() -> None:
    data = earned().SerializeToString()
    assert points_work("loyalty.demo.points.earned", data)[0] == "ev-1"
    assert points_work("loyalty.demo.points.redeemed", data) == ("", None)


def test_a_merge_into_itself_is_never_applied() -> None:
    merged = member_pb.MemberMerged(
        meta=EventMeta(event_id="ev-2", tenant_id="demo"), survivor_id="m1", merged_id="m1"
    )
    assert member_work("loyalty.demo.member.merged", merged.SerializeToString()) == ("", None)
    erased = member_pb.MemberErased(
        meta=EventMeta(event_id="ev-3", tenant_id="demo"), member_id="m1"
    )
    assert member_work("loyalty.demo.member.erased", erased.SerializeToString())[0] == "ev-3"


def test_a_consent_change_is_followed_and_an_unknown_member_event_is_not() -> None:
    changed = member_pb.MemberConsentsChanged(
        meta=EventMeta(event_id="ev-4", tenant_id="demo"),
        member_id="m1",
        consents={"marketing": False},
    ).SerializeToString()
    event_id, work = member_work("loyalty.demo.member.consents_changed", changed)
    assert event_id == "ev-4"
    assert work is not None
    assert member_work("loyalty.demo.member.profile_viewed", changed) == ("", None)
