"""A campaign's comparison with its holdout day by day: each group's orders and net spend
per day, and the running uplift, which on every day equals the comparison member by
member over the window's days up to it (and on the last day the window's)."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from libs.holdout import held_out, holdout_buckets
from services.analytics.adapters.page_sections import sections_of
from services.analytics.adapters.pages import line_of
from services.analytics.adapters.profile_reads import enrolled_days
from services.analytics.domain.campaign_days import (
    HELD_OUT,
    MAX_DAYS,
    TARGETED,
    DayRows,
    GroupDay,
    holdout_days,
    window,
)
from services.analytics.domain.campaign_holdout import Bought, compare_campaign
from services.analytics.domain.month_sums import packed
from services.analytics.domain.profiles import MemberProfile

pytestmark = pytest.mark.unit


def test_each_day_counts_its_groups_and_the_uplift_runs_from_the_first_day() -> None:
    groups = {"a": TARGETED, "b": TARGETED, "x": HELD_OUT, "y": HELD_OUT}
    rows = [
        DayRows("2026-12-01", ["a", "x"], [packed(1, 10_000), packed(1, 2_000)]),
        DayRows("2026-12-03", ["b", "a", "y"], [packed(2, 30_000), packed(1, -4_000), 0]),
    ]

    whole, days = holdout_days(("2026-12-01", "2026-12-03"), groups, (2, 2), rows)

    assert [d.day for d in days] == ["2026-12-01", "2026-12-02", "2026-12-03"]
    assert (days[0].targeted, days[0].held_out) == (GroupDay(1, 10_000), GroupDay(1, 2_000))
    assert (days[1].targeted, days[1].held_out) == (GroupDay(), GroupDay())
    assert (days[2].targeted, days[2].held_out) == (GroupDay(3, 26_000), GroupDay(0, 0))
    # day 1: targeted 100.00 and 0 (mean 50.00), held out 20.00 and 0 (10.00): 40.00
    assert days[0].uplift is not None
    assert days[0].uplift.difference == Decimal("40.00")
    assert days[1].uplift == days[0].uplift  # nobody bought: the same as the day before
    # day 3: targeted 60.00 and 300.00 (180.00), held out 20.00 and 0 (10.00): 170.00
    assert days[2].uplift is not None
    assert days[2].uplift.difference == Decimal("170.00")
    assert whole.uplift == days[2].uplift
    assert (whole.targeted.orders, whole.targeted.cents) == (4, 36_000)
    assert (whole.held_out.orders, whole.held_out.cents) == (1, 2_000)


def test_members_outside_the_audience_are_passed_over() -> None:
    rows = [DayRows("2026-12-01", ["a", "stranger"], [packed(1, 500), packed(3, 9_000)])]

    whole, days = holdout_days(("2026-12-01", "2026-12-01"), {"a": TARGETED}, (1, 0), rows)

    assert days[0].targeted == GroupDay(1, 500)
    assert whole.uplift is None  # fewer than two in a group


def test_a_window_not_begun_has_no_day() -> None:
    whole, days = holdout_days(("2026-12-09", "2026-12-07"), {}, (3, 1), [])

    assert days == []
    assert (whole.targeted.members, whole.held_out.members) == (3, 1)


def test_only_the_latest_days_are_answered_but_the_uplift_counts_from_the_first() -> None:
    every = window("2025-01-01", "2026-06-30")
    rows = [DayRows("2025-01-01", ["a", "b"], [packed(1, 7_000), packed(1, 100)])]
    groups = {"a": TARGETED, "b": HELD_OUT, "c": TARGETED, "d": HELD_OUT}

    whole, days = holdout_days((every[0], every[-1]), groups, (2, 2), rows)

    assert len(days) == MAX_DAYS
    assert days[-1].day == "2026-06-30"
    assert days[0].uplift == whole.uplift
    assert whole.uplift is not None
    assert whole.uplift.difference == Decimal("34.50")


def _profiles(seed: int) -> list[MemberProfile]:
    rng = random.Random(seed)
    days = window("2026-10-20", "2026-12-10")
    found = []
    for n in range(120):
        spend_days = tuple(sorted(rng.sample(days, rng.randint(0, 6))))
        return_days = tuple(sorted(rng.sample(days, rng.randint(0, 2))))
        found.append(
            MemberProfile(
                f"m {n}" if n % 9 == 0 else f"m{n}",  # some ids escaped
                enrolled=n % 10 != 7,
                merged_into="m1" if n % 17 == 5 else "",
                spend_days=spend_days,
                orders=tuple(rng.randint(0, 3) for _ in spend_days),
                gross=tuple(rng.randint(0, 50_000) for _ in spend_days),
                return_days=return_days,
                returned=tuple(rng.choice((0, 700, 9_000)) for _ in return_days),
            )
        )
    return found


def _plain(profiles: list[MemberProfile], first: str, last: str) -> dict[str, Bought]:
    """Each enrolled member's orders and net cents over the days, from its own columns."""
    found = {}
    for p in profiles:
        if not p.enrolled or p.merged_into:
            continue
        orders = sum(n for d, n in zip(p.spend_days, p.orders, strict=True) if first <= d <= last)
        gross = sum(g for d, g in zip(p.spend_days, p.gross, strict=True) if first <= d <= last)
        back = sum(r for d, r in zip(p.return_days, p.returned, strict=True) if first <= d <= last)
        found[p.member_id] = Bought(orders, gross - back)
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_days_uplift_is_the_comparison_member_by_member_up_to_that_day(seed: int) -> None:
    profiles = _profiles(seed)
    lines = sorted(line_of(p) for p in profiles)
    page = {"x": "\n".join(lines), **sections_of(lines)}
    span = ("2026-11-03", "2026-12-05")  # cut months at both ends
    found = enrolled_days([page], *span)
    audience = found.members[:100]
    buckets = holdout_buckets("cmp", audience)
    held = {m for m, b in zip(audience, buckets, strict=True) if b < 30}
    groups = {m: HELD_OUT if m in held else TARGETED for m in audience}

    whole, days = holdout_days(span, groups, (len(audience) - len(held), len(held)), found.rows)

    assert sorted(found.members) == sorted(_plain(profiles, *span))
    assert [d.day for d in days] == window(*span)
    for day in days:
        so_far = _plain(profiles, span[0], day.day)
        plain = compare_campaign("cmp", 30, audience, so_far, (span[0], day.day))
        assert day.uplift == plain.uplift
        that_day = _plain(profiles, day.day, day.day)
        out = [that_day[m] for m in audience if held_out("cmp", m, 30)]
        assert day.held_out == GroupDay(sum(b.orders for b in out), sum(b.cents for b in out))
    assert whole == compare_campaign("cmp", 30, audience, _plain(profiles, *span), span)
