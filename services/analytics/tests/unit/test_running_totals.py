"""Opening balances of the lines' roll-ups: a batch of an earlier month carries its counts
into every later month's balance, a month new to a view starts from the last balance and
that month's rows, a batch of the current month changes none, and a range is two sums
"up to a day" whose difference keeps exactly the rows counted in the range."""

from __future__ import annotations

from services.analytics.adapters.running import (
    BALANCE_WEIGHT,
    MONTH_WEIGHT,
    difference,
    known_up_to,
    months_before_new,
    opening_balances,
    plain_cost,
    running_plan,
    up_to,
)


def test_a_batch_of_an_earlier_month_adds_its_counts_to_the_later_months_balances() -> None:
    known = {"2026-01": 1, "2026-03": 1}
    balances = {"2026-01": {"a": {"q": 1, "entries": 1}}, "2026-03": {"a": {"q": 4, "entries": 3}}}
    added = {"2026-01": {"b": {"q": 2, "entries": 1}}}

    # January's balance counts only what came before January
    assert opening_balances(known, balances, added, {}) == {
        "2026-03": {"a": {"q": 4, "entries": 3}, "b": {"q": 2, "entries": 1}}
    }
    assert balances["2026-03"] == {"a": {"q": 4, "entries": 3}}  # not changed in place


def test_a_months_first_batch_makes_its_balance_from_the_last_balance_and_that_months_rows() -> (
    None
):
    known = {"2026-01": 1}
    balances = {"2026-01": {"a": {"q": 1, "entries": 1}}}
    january = {"a": {"q": 2, "entries": 2}, "c": {"q": 1, "entries": 1}}  # as the batch left it
    added = {"2026-03": {"b": {"q": 5, "entries": 1}}}

    assert months_before_new(known, added) == ["2026-01"]
    assert opening_balances(known, balances, added, {"2026-01": january}) == {
        "2026-03": {"a": {"q": 3, "entries": 3}, "c": {"q": 1, "entries": 1}}
    }


def test_a_batch_of_the_current_month_changes_no_balance() -> None:
    known = {"2026-01": 1, "2026-02": 1}
    balances = {"2026-02": {"a": {"q": 1, "entries": 1}}}
    assert opening_balances(known, balances, {"2026-02": {"a": {"q": 1, "entries": 1}}}, {}) == {}


def test_the_first_month_of_a_view_starts_from_nothing() -> None:
    assert months_before_new({}, {"2026-05": {}}) == []
    assert opening_balances({}, {}, {"2026-05": {"k": {"q": 1, "entries": 1}}}, {}) == {
        "2026-05": {}
    }


def test_a_difference_keeps_the_rows_counted_in_the_range_even_when_they_count_zero() -> None:
    plus = [{"a": {"q": 3, "entries": 2}, "b": {"q": 1, "entries": 1}, "z": {"q": 0, "entries": 2}}]
    minus = [
        {"a": {"q": 1, "entries": 1}, "b": {"q": 1, "entries": 1}, "z": {"q": 0, "entries": 1}}
    ]

    # b was counted only before the range; z in it, counting nothing
    assert difference(plus, minus) == {"a": {"q": 2}, "z": {"q": 0}}


def test_up_to_a_day_reads_its_balance_and_days_or_its_balance_and_month_less_the_days_after() -> (
    None
):
    late = up_to("2026-03-28")
    assert (late.month, late.days, late.whole) == ("2026-03", ("2026-03-29", "2026-03-31"), True)
    early = up_to("2026-03-05")
    assert (early.month, early.days, early.whole) == (
        "2026-03",
        ("2026-03-01", "2026-03-05"),
        False,
    )
    end = up_to("2026-02-28")
    assert (end.month, end.days, end.whole) == ("2026-02", None, True)


def test_a_year_is_read_from_balances_and_a_few_days_a_short_range_plainly() -> None:
    plan = running_plan("2025-12-08", "2026-12-07")
    assert plan is not None
    last, before = plan
    assert (last.month, last.days, last.whole) == ("2026-12", ("2026-12-01", "2026-12-07"), False)
    assert (before.month, before.days) == ("2025-12", ("2025-12-01", "2025-12-07"))
    assert last.cost() + before.cost() == 2 * BALANCE_WEIGHT + 14
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
