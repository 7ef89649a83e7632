"""The bucket arithmetic: what each fact adds, on which day, under which dimensions."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from services.analytics.domain.activity import Buy
from services.analytics.domain.buckets import (
    AddPurchase,
    Increment,
    Kind,
    Known,
    MarkMerged,
    MemberState,
    TakeHistory,
    cents,
    plan,
)
from services.analytics.domain.facts import (
    Enrolled,
    Merged,
    Movement,
    PointsMoved,
    Purchased,
    Returned,
    SoldLine,
    TierChanged,
)

LATE_EVENING_UTC = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)  # 01:30 on 2 March in Shanghai


def _by_kind(increments: list[Increment], kind: Kind) -> list[Increment]:
    return [inc for inc in increments if inc.kind is kind]


def test_a_fact_is_counted_on_its_day_in_the_tenants_time_zone() -> None:
    fact = Enrolled("t", "m1", LATE_EVENING_UTC, "pos", "S1", "member")

    shanghai = plan(fact, "Asia/Shanghai").increments
    utc = plan(fact, "UTC").increments

    assert {inc.day for inc in shanghai} == {"2026-03-02"}
    assert {inc.day for inc in utc} == {"2026-03-01"}


def test_an_enrolment_counts_once_by_channel_and_store_and_joins_its_tier() -> None:
    changes = plan(Enrolled("t", "m1", LATE_EVENING_UTC, "app", "S2", "silver"), "UTC")

    (enrolment,) = _by_kind(changes.increments, Kind.ENROLMENTS)
    (tier,) = _by_kind(changes.increments, Kind.TIERS)
    assert dict(enrolment.dims) == {"channel": "app", "store_id": "S2"}
    assert dict(enrolment.counts) == {"members": 1}
    assert (dict(tier.dims), dict(tier.counts)) == ({"tier": "silver"}, {"members": 1})


def test_an_enrolment_of_a_member_counted_already_adds_nothing() -> None:
    known = Known(member=MemberState("m1", tier="member", enrolled=True))

    changes = plan(Enrolled("t", "m1", LATE_EVENING_UTC, "pos", "S1", "member"), "UTC", known)

    assert changes.increments == []


def test_a_tier_change_moves_the_member_from_one_tier_to_the_other() -> None:
    known = Known(member=MemberState("m1", tier="member", enrolled=True))

    changes = plan(TierChanged("t", "m1", LATE_EVENING_UTC, "member", "gold"), "UTC", known)

    moves = {dict(i.dims)["tier"]: dict(i.counts)["members"] for i in changes.increments}
    assert moves == {"member": -1, "gold": 1}


def test_a_merge_takes_the_merged_member_out_of_its_tier_and_its_history_to_the_survivor() -> None:
    known = Known(member=MemberState("gone", tier="silver", enrolled=True))

    changes = plan(Merged("t", "keep", LATE_EVENING_UTC, "gone"), "UTC", known)

    (tier,) = changes.increments
    assert (dict(tier.dims), dict(tier.counts)) == ({"tier": "silver"}, {"members": -1})
    assert changes.members == [("gone", MarkMerged("keep")), ("keep", TakeHistory("gone"))]


def test_a_merge_seen_twice_changes_nothing_the_second_time() -> None:
    known = Known(member=MemberState("gone", tier="silver", enrolled=True, merged_into="keep"))

    assert plan(Merged("t", "keep", LATE_EVENING_UTC, "gone"), "UTC", known).increments == []


def test_a_purchase_counts_an_order_its_amount_in_cents_and_each_line() -> None:
    lines = (
        SoldLine("sku-1", "shoes", 2, Decimal("80.00")),
        SoldLine("sku-2", "socks", 1, Decimal("19.99")),
    )
    fact = Purchased(
        "t", "m1", LATE_EVENING_UTC, "o1", "pos", "S1", "gold", Decimal("99.99"), lines
    )

    changes = plan(fact, "UTC")

    (order,) = _by_kind(changes.increments, Kind.ORDERS)
    assert dict(order.dims) == {"store_id": "S1", "channel": "pos", "tier": "gold"}
    assert dict(order.counts) == {"orders": 1, "gross": 9999}
    by_sku = {dict(i.dims)["sku"]: dict(i.counts) for i in _by_kind(changes.increments, Kind.LINES)}
    assert by_sku == {
        "sku-1": {"quantity": 2, "gross": 8000},
        "sku-2": {"quantity": 1, "gross": 1999},
    }
    assert changes.orders == [("o1", "gold")]


def test_a_purchase_of_a_merged_member_is_history_of_the_survivor() -> None:
    known = Known(member=MemberState("gone", merged_into="keep"))
    fact = Purchased("t", "gone", LATE_EVENING_UTC, "o1", "pos", "S1", "", Decimal("10"))

    changes = plan(fact, "UTC", known)

    assert changes.members == [("keep", AddPurchase("2026-03-01", "S1", "pos", 1000))]


def _active(increments: list[Increment], kind: Kind = Kind.ACTIVE) -> dict[str, dict[str, int]]:
    return {inc.day: dict(inc.counts) for inc in _by_kind(increments, kind)}


def test_a_first_purchase_makes_the_buyer_active_from_its_day_for_each_window() -> None:
    fact = Purchased("t", "m1", LATE_EVENING_UTC, "o1", "pos", "S1", "", Decimal("10"))

    active = _active(plan(fact, "UTC", Known(member=MemberState("m1"))).increments)

    places = ("*", "s:S1", "c:pos", "sc:S1:pos")
    assert active["2026-03-01"] == {f"{n}|{p}": 1 for n in (30, 90, 365) for p in places}
    assert active["2026-03-31"] == {f"30|{p}": -1 for p in places}
    assert set(active) == {"2026-03-01", "2026-03-31", "2026-05-30", "2027-03-01"}


def test_a_purchase_differences_go_to_their_month_and_year_too() -> None:
    fact = Purchased("t", "m1", LATE_EVENING_UTC, "o1", "", "", "", Decimal("10"))

    increments = plan(fact, "UTC").increments

    months = _active(increments, Kind.ACTIVE_MONTHS)
    assert months == {
        "2026-03-01": {"90|*": 1, "365|*": 1},  # 30 days: in and out in March
        "2026-05-01": {"90|*": -1},
        "2027-03-01": {"365|*": -1},
    }
    years = _active(increments, Kind.ACTIVE_YEARS)
    assert years == {"2026-01-01": {"365|*": 1}, "2027-01-01": {"365|*": -1}}


def test_a_purchase_on_a_day_the_member_bought_already_changes_no_activity() -> None:
    bought = frozenset({Buy("2026-03-01", "S1", "pos")})
    known = Known(member=MemberState("m1", buys=bought))
    fact = Purchased("t", "m1", LATE_EVENING_UTC, "o2", "pos", "S1", "", Decimal("10"))

    assert _active(plan(fact, "UTC", known).increments) == {}


def test_a_purchase_naming_a_merged_member_adds_to_the_survivors_days() -> None:
    survivor = MemberState("keep", buys=frozenset({Buy("2026-02-20", "S1", "pos")}))
    known = Known(member=MemberState("gone", merged_into="keep"), survivor=survivor)
    fact = Purchased("t", "gone", LATE_EVENING_UTC, "o1", "", "", "", Decimal("10"))

    active = _active(plan(fact, "UTC", known).increments)

    # everywhere only (no store, no channel): the survivor's 30 days stretch by 9 days
    assert active["2026-03-22"] == {"30|*": 1}
    assert active["2026-03-31"] == {"30|*": -1}


def test_a_purchase_of_a_member_merged_into_a_merged_member_counts_no_activity() -> None:
    survivor = MemberState("middle", merged_into="last")
    known = Known(member=MemberState("gone", merged_into="middle"), survivor=survivor)
    fact = Purchased("t", "gone", LATE_EVENING_UTC, "o1", "pos", "S1", "", Decimal("10"))

    assert _active(plan(fact, "UTC", known).increments) == {}


def test_a_merge_counts_the_merged_members_days_once_in_the_survivor() -> None:
    gone = MemberState("gone", buys=frozenset({Buy("2026-02-20", "S2", "app")}))
    keep = MemberState("keep", buys=frozenset({Buy("2026-02-20", "S1", "pos")}))

    changes = plan(Merged("t", "keep", LATE_EVENING_UTC, "gone"), "UTC", Known(gone, "", keep))

    active = _active(changes.increments)
    # everywhere both bought on the same day: one member less; at S2 and by app the
    # survivor takes the merged member's place: nothing changes there
    assert active["2026-02-20"] == {f"{n}|*": -1 for n in (30, 90, 365)}
    assert active["2026-03-22"] == {"30|*": 1}


def test_a_return_counts_at_its_own_store_under_the_tier_its_order_was_bought_in() -> None:
    lines = (SoldLine("sku-1", "shoes", 1, Decimal("40.00")),)
    fact = Returned("t", "m1", LATE_EVENING_UTC, "o1", "web", "S9", 40, Decimal("40.00"), lines)

    changes = plan(fact, "UTC", Known(order_tier="gold"))

    (order,) = _by_kind(changes.increments, Kind.ORDERS)
    assert dict(order.dims) == {"store_id": "S9", "channel": "web", "tier": "gold"}
    assert dict(order.counts) == {"returned": 4000}
    (points,) = _by_kind(changes.increments, Kind.POINTS)
    assert dict(points.counts) == {"reversed": 40}
    (line,) = _by_kind(changes.increments, Kind.LINES)
    assert dict(line.counts) == {"returned_quantity": 1, "returned": 4000}


def test_points_moved_count_under_their_movement() -> None:
    fact = PointsMoved("t", "m1", LATE_EVENING_UTC, Movement.EXPIRED, 25)

    (inc,) = plan(fact, "UTC").increments

    assert (inc.kind, dict(inc.counts)) == (Kind.POINTS, {"expired": 25})


def test_cents_round_half_up() -> None:
    assert [cents(Decimal(x)) for x in ("0.005", "19.994", "-1.005", "7")] == [1, 1999, -101, 700]
