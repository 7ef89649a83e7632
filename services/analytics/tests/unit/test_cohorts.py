"""The retention triangle from kept counts: a member's counts, their change when its
profile changes (a purchase, a late purchase, a merge, a consent given or withdrawn), and
the triangle of any range from the summed counts equal to the triangle of the members."""

from __future__ import annotations

from collections.abc import Iterable

from services.analytics.domain.cohorts import change, counts, triangle
from services.analytics.domain.profiles import MemberProfile, cohort_members
from services.analytics.domain.retention import retention


def member(member_id: str, since: str, *days: str, **marks: object) -> MemberProfile:
    return MemberProfile(member_id, since=since, purchase_days=tuple(sorted(days)), **marks)  # type: ignore[arg-type]


def summed(changes: Iterable[dict[str, int]]) -> dict[str, int]:
    kept: dict[str, int] = {}
    for delta in changes:
        for key, n in delta.items():
            kept[key] = kept.get(key, 0) + n
    return {key: n for key, n in kept.items() if n}


RANGES = [
    ("2026-01-01", "2026-03-31"),
    ("2026-01-10", "2026-02-14"),  # both ends mid-month
    ("2026-02-01", "2026-02-28"),
    ("2026-01-05", "2026-01-05"),
]


def test_a_member_counts_once_in_its_cohort_and_once_a_month_from_its_first_purchase_on() -> None:
    profile = member("m1", "2026-01-10", "2026-01-03", "2026-01-12", "2026-01-20", "2026-03-02")

    assert counts(profile) == {
        "2026-01-10": 1,
        "2026-01-10|2026-01-12": 1,  # the purchase before enrolment counts in no month
        "2026-01-10|2026-03-02": 1,
    }


def test_merged_members_and_members_refusing_profiling_count_nowhere() -> None:
    assert counts(member("m1", "2026-01-10", "2026-01-12", merged_into="m2")) == {}
    assert counts(member("m1", "2026-01-10", "2026-01-12", refuses_profiling=True)) == {}
    assert counts(member("m1", "", "2026-01-12")) == {}  # enrolled before the log began


def test_a_late_purchase_moves_the_months_first_day_and_nothing_else() -> None:
    before = member("m1", "2026-01-01", "2026-01-20")
    after = member("m1", "2026-01-01", "2026-01-05", "2026-01-20")

    assert change(before, after) == {"2026-01-01|2026-01-05": 1, "2026-01-01|2026-01-20": -1}
    assert change(after, after) == {}  # a redelivered purchase, had it come through


def test_the_kept_counts_give_every_ranges_triangle_as_the_members_do() -> None:
    a1 = member("a", "2026-01-05", "2026-01-05", "2026-02-20")
    b1 = member("b", "2026-01-12", "2026-02-02")
    c1 = member("c", "2026-02-03", "2026-02-03", "2026-03-30")
    # c refuses profiling, then withdraws it; b merges into a (a takes b's days); a buys late
    c2 = c1._replace(refuses_profiling=True)
    b2 = b1._replace(merged_into="a")
    a2 = member("a", "2026-01-05", "2026-01-05", "2026-02-02", "2026-02-20")
    a3 = member("a", "2026-01-05", "2026-01-05", "2026-01-30", "2026-02-02", "2026-02-20")
    history = [
        (None, a1),
        (None, b1),
        (None, c1),
        (c1, c2),
        (b1, b2),
        (a1, a2),
        (c2, c1),
        (a2, a3),
    ]
    now = [a3, b2, c1]

    kept = summed(change(was, new) for was, new in history)

    assert kept == summed(counts(p) for p in now)
    for days in RANGES:
        assert triangle(kept.items(), *days) == retention(cohort_members(now, *days), *days)
