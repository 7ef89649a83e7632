"""Churn risk's arithmetic: the usual interval, the gap beyond it, the score and its
reasons, and who is assessed at all."""

from __future__ import annotations

import pytest

from services.analytics.domain.churn import (
    BEYOND_USUAL,
    LAPSED,
    RETURNED,
    SLOWING,
    ChurnMember,
    assess,
    churn_risk,
)

pytestmark = pytest.mark.unit


def member(
    *days: str,
    member_id: str = "m1",
    tier: str = "gold",
    store: str = "s1",
    returns: tuple[str, ...] = (),
) -> ChurnMember:
    return ChurnMember(member_id, tier, False, days, store, returns)


def test_a_member_who_bought_on_two_days_only_is_not_assessed() -> None:
    report = churn_risk([member("2026-01-01", "2026-01-11")], "2026-12-01")
    assert (report.assessed, report.at_risk) == (0, [])


def test_a_gap_of_twice_the_usual_interval_is_not_yet_a_risk() -> None:
    # intervals 10 and 10: usual 10; 20 days since the last is exactly twice
    assert assess(member("2026-01-01", "2026-01-11", "2026-01-21"), "2026-02-10") is None


def test_a_gap_just_beyond_twice_the_usual_interval_is_a_risk_scored_by_its_length() -> None:
    risk = assess(member("2026-01-01", "2026-01-11", "2026-01-21"), "2026-02-11")
    assert risk is not None
    # gap 21, usual 10: 100 x 11 / 21 = 52.38 → 52
    assert (risk.gap_days, risk.usual_days, risk.score) == (21, 10, 52)
    assert risk.reasons == (BEYOND_USUAL,)
    assert (risk.last_purchase, risk.store_id, risk.tier) == ("2026-01-21", "s1", "gold")


def test_the_usual_interval_is_the_median_of_the_gaps_and_at_least_a_week() -> None:
    # gaps 1, 1: a week is the usual; 15 days since the last is more than twice
    risk = assess(member("2026-03-01", "2026-03-02", "2026-03-03"), "2026-03-18")
    assert risk is not None
    assert risk.usual_days == 7
    assert assess(member("2026-03-01", "2026-03-02", "2026-03-03"), "2026-03-17") is None
    # gaps 10, 30, 12: median 12
    risk = assess(member("2026-01-01", "2026-01-11", "2026-02-10", "2026-02-22"), "2026-04-01")
    assert risk is not None
    assert risk.usual_days == 12


def test_every_further_reason_adds_ten_points() -> None:
    # gaps 10, 10, 30 (slowing: 30 > 1.5 x 10); a return after the last purchase; 100 days
    days = ("2026-01-01", "2026-01-11", "2026-01-21", "2026-02-20")
    risk = assess(member(*days, returns=("2026-02-25",)), "2026-05-31")
    assert risk is not None
    assert risk.reasons == (BEYOND_USUAL, LAPSED, SLOWING, RETURNED)
    # gap 100, usual 10: 90, plus 30, capped at 100
    assert (risk.gap_days, risk.score) == (100, 100)


def test_a_return_before_the_last_purchase_is_no_reason() -> None:
    days = ("2026-01-01", "2026-01-11", "2026-01-21")
    risk = assess(member(*days, returns=("2026-01-15",)), "2026-02-15")
    assert risk is not None
    assert RETURNED not in risk.reasons


def test_purchases_after_the_report_day_do_not_count() -> None:
    days = ("2026-01-01", "2026-01-11", "2026-01-21", "2026-03-01")
    risk = assess(member(*days), "2026-02-15")
    assert risk is not None
    assert risk.last_purchase == "2026-01-21"


def test_an_erased_member_is_counted_but_not_named() -> None:
    erased = ChurnMember("gone", "gold", True, ("2026-01-01", "2026-01-11", "2026-01-21"), "s1")
    report = churn_risk([erased, member("2026-01-01", "2026-01-11", "2026-01-21")], "2026-03-01")
    assert [r.member_id for r in report.at_risk] == ["m1", ""]
    assert (report.erased, report.by_tier) == (1, {"gold": 2})


def test_the_list_is_highest_score_first_with_counts_by_tier_and_store() -> None:
    days = ("2026-01-01", "2026-01-11", "2026-01-21")
    report = churn_risk(
        [
            member(*days, member_id="a", tier="gold", store="s1"),
            member(
                "2026-01-01", "2026-01-21", "2026-02-10", member_id="b", tier="base", store="s2"
            ),
            member("2026-04-01", "2026-04-11", "2026-04-21", member_id="c"),  # not at risk
        ],
        "2026-04-30",
    )
    assert [r.member_id for r in report.at_risk] == ["a", "b"]
    assert report.assessed == 3
    assert report.by_tier == {"base": 1, "gold": 1}
    assert report.by_store == {"s1": 1, "s2": 1}


def test_a_tier_or_store_filter_narrows_who_is_assessed() -> None:
    days = ("2026-01-01", "2026-01-11", "2026-01-21")
    members = [
        member(*days, member_id="a", tier="gold", store="s1"),
        member(*days, member_id="b", tier="base", store="s2"),
    ]
    assert [r.member_id for r in churn_risk(members, "2026-04-30", tier="base").at_risk] == ["b"]
    by_store = churn_risk(members, "2026-04-30", store_ids=["s1"])
    assert ([r.member_id for r in by_store.at_risk], by_store.assessed) == (["a"], 1)
