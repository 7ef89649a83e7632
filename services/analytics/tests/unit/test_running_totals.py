"""Running totals of the lines' roll-ups: a batch carries its months' counts into every
later month's total, a month new to a view starts from the last before it, and a range is
two sums "up to a day" whose difference keeps exactly the rows counted in the range."""

from __future__ import annotations

from services.analytics.adapters.running import (
    MONTH_WEIGHT,
    carried_forward,
    difference,
    known_up_to,
    plain_cost,
    running_plan,
    up_to,
)


def test_a_batch_carries_its_months_into_every_later_months_total() -> None:
    known = {"2026-01": 1, "2026-03": 1}
    stored = {"2026-01": {"a": {"q": 1, "entries": 1}}, "2026-03": {"a": {"q": 4, "entries": 3}}}
    added = {"2026-02": {"b": {"q": 2, "entries": 1}}, "2026-03": {"a": {"q": 1, "entries": 1}}}

    totals = carried_forward(known, stored, added)

    # February is new: January's total and its own; March keeps its total and adds both
    assert totals == {
        "2026-02": {"a": {"q": 1, "entries": 1}, "b": {"q": 2, "entries": 1}},
        "2026-03": {"a": {"q": 5, "entries": 4}, "b": {"q": 2, "entries": 1}},
    }
    assert stored["2026-01"] == {"a": {"q": 1, "entries": 1}}  # not changed in place


def test_a_view_with_no_total_yet_starts_from_nothing() -> None:
    assert carried_forward({}, {}, {"2026-05": {"k": {"q": 1, "entries": 1}}}) == {
        "2026-05": {"k": {"q": 1, "entries": 1}}
    }


def test_a_difference_keeps_the_rows_counted_in_the_range_even_when_they_count_zero() -> None:
    plus = [{"a": {"q": 3, "entries": 2}, "b": {"q": 1, "entries": 1}, "z": {"q": 0, "entries": 2}}]
    minus = [
        {"a": {"q": 1, "entries": 1}, "b": {"q": 1, "entries": 1}, "z": {"q": 0, "entries": 1}}
    ]

    # b was counted only before the range; z in it, counting nothing
    assert difference(plus, minus) == {"a": {"q": 2}, "z": {"q": 0}}


def test_up_to_a_day_reads_its_month_less_the_days_after_or_the_month_before_and_its_days() -> None:
    late = up_to("2026-03-28")
    assert (late.month, late.days, late.sign) == ("2026-03", ("2026-03-29", "2026-03-31"), -1)
    early = up_to("2026-03-05")
    assert (early.month, early.days, early.sign) == ("2026-02", ("2026-03-01", "2026-03-05"), 1)
    end = up_to("2026-02-28")
    assert (end.month, end.days) == ("2026-02", None)
    january = up_to("2026-01-10")
    assert january.month == "2025-12"


def test_a_year_is_read_from_running_totals_and_a_few_days_a_short_range_plainly() -> None:
    plan = running_plan("2025-12-08", "2026-12-07")
    assert plan is not None
    last, before = plan
    assert (last.month, last.days) == ("2026-11", ("2026-12-01", "2026-12-07"))
    assert (before.month, before.days) == ("2025-11", ("2025-12-01", "2025-12-07"))
    assert last.cost() + before.cost() == 2 * MONTH_WEIGHT + 14
    assert plain_cost("2025-12-08", "2026-12-07") == 11 * MONTH_WEIGHT + 24 + 7
    assert running_plan("2026-03-02", "2026-03-09") is None
    assert running_plan("0001-01-01", "2026-03-09") is None  # nothing before the first day
    assert running_plan("2026-13-01", "2026-03-09") is None


def test_the_last_month_kept_up_to_a_month_is_found_among_those_kept() -> None:
    known = {"2025-11": 1, "2026-02": 2}
    assert known_up_to(known, "2026-01") == "2025-11"
    assert known_up_to(known, "2026-02") == "2026-02"
    assert known_up_to(known, "2025-10") is None
    assert known_up_to(known, None) is None
