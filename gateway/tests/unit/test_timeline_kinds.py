"""Which events are on a member's timeline, and what an entry keeps of them."""

from __future__ import annotations

from datetime import UTC, datetime

from gateway.contact.timeline.cursor import Position, decode, encode
from gateway.contact.timeline.kinds import KINDS, STORE_KINDS, entry_of


def test_a_purchase_is_an_entry_at_its_store_with_its_figures() -> None:
    data = {
        "member_id": "m1",
        "order_id": "o1",
        "channel": "pos",
        "store_id": "S001",
        "total": "398.00",
        "currency": "CNY",
        "points": 398,
        "lines": [{"sku": "SHOE-1"}],
        "tier_code": "gold",
    }

    entry = entry_of("points.earned", data)

    assert entry is not None
    assert (entry.member_id, entry.kind, entry.channel, entry.store_id) == (
        "m1",
        "purchase",
        "pos",
        "S001",
    )
    assert entry.details == {"order_id": "o1", "total": "398.00", "currency": "CNY", "points": 398}


def test_a_merge_is_on_the_survivors_timeline() -> None:
    entry = entry_of("member.merged", {"survivor_id": "m1", "merged_id": "m2"})

    assert entry is not None
    assert (entry.member_id, entry.kind, dict(entry.details)) == (
        "m1",
        "merge",
        {"merged_id": "m2"},
    )


def test_a_grant_of_a_campaign_is_a_reward_and_one_of_none_is_not_on_the_timeline() -> None:
    reward = entry_of("points.granted", {"member_id": "m1", "campaign_id": "c1", "points": 50})

    assert reward is not None
    assert reward.kind == "campaign_reward"
    assert entry_of("points.granted", {"member_id": "m1", "points": 50}) is None


def test_events_of_no_member_and_of_other_kinds_make_no_entry() -> None:
    assert entry_of("coupon.issued", {"coupon_id": "c1", "member_id": ""}) is None
    assert entry_of("points.held", {"member_id": "m1", "points": 5}) is None
    assert entry_of("campaign.changed", {"campaign_id": "c1"}) is None


def test_an_enrolment_keeps_the_kinds_of_identity_never_their_values() -> None:
    entry = entry_of(
        "member.enrolled",
        {"member_id": "m1", "channel": "pos", "store_id": "S001", "identity_types": ["phone"]},
    )

    assert entry is not None
    assert entry.details == {"identity_types": ["phone"]}


def test_store_kinds_are_kinds() -> None:
    assert set(STORE_KINDS) <= set(KINDS)


def test_a_cursor_reads_back_as_the_position_it_was_made_of() -> None:
    position = Position(datetime(2026, 12, 7, 5, 30, tzinfo=UTC), "demo:ev_1")

    assert decode(encode(position)) == position


def test_a_cursor_not_made_here_reads_as_none() -> None:
    assert decode("not-a-cursor") is None
    naive = datetime(2026, 12, 7, tzinfo=UTC).replace(tzinfo=None)
    assert decode(encode(Position(naive, "x"))) is None
