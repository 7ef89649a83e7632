"""A step counts only if the platform's backlog stays bounded and drains after it."""

from __future__ import annotations

from bench.backlog import DRAIN_LIMIT_SECONDS, bounded, judge
from bench.stats import Summary


def test_a_backlog_that_stays_level_through_the_step_is_bounded() -> None:
    assert bounded([30, 45, 38, 41, 50, 44, 39, 47])


def test_a_backlog_that_keeps_growing_through_the_step_is_not_bounded() -> None:
    assert not bounded([10, 40, 70, 100, 130, 160, 190, 220])


def test_a_small_backlog_may_wobble_within_the_slack() -> None:
    assert bounded([0, 1, 0, 2, 5, 12, 3, 9])


def test_a_step_whose_backlog_did_not_drain_is_not_sustained_however_fast_it_answered() -> None:
    verdict = judge([5, 6, 5, 7], drained_after=None)
    assert not verdict.drained
    assert verdict.drain_seconds == DRAIN_LIMIT_SECONDS
    fast = Summary(100, 100, 0.01, 0.02, 0.05, 1200, 0, {}, backlog=verdict)
    assert not fast.sustainable


def test_a_step_whose_backlog_drained_in_time_keeps_its_verdict() -> None:
    verdict = judge([5, 6, 5, 7], drained_after=1.5)
    assert verdict.ok
    assert verdict.peak == 7
    summary = Summary(100, 100, 0.01, 0.02, 0.05, 1200, 0, {}, backlog=verdict)
    assert summary.sustainable
    assert summary.as_dict()["drain_seconds"] == 1.5


def test_a_growing_backlog_fails_the_step_even_when_it_drains_quickly() -> None:
    verdict = judge([0, 20, 60, 120, 200, 300], drained_after=2.0)
    assert not verdict.ok


def test_the_pipeline_filling_at_the_start_of_a_step_is_not_growth() -> None:
    filling = [0, 0, 1, 2, 6, 26, 28, 27]
    assert not bounded(filling)
    assert bounded(filling, ramp=4)


def test_the_slack_grows_with_the_offered_rate() -> None:
    busy = [100, 110, 105, 110, 220, 230, 240, 250]
    assert not bounded(busy, rate=0)
    assert bounded(busy, rate=100)
