"""CPU time from /proc, and the table of ratios."""

from __future__ import annotations

import os

import pytest

from bench.cpu import cpu_seconds, cpu_seconds_from_stat
from bench.measure import per_request
from bench.report import Pairing, format_table, ratio_rows
from bench.stats import Summary

# A /proc/<pid>/stat line whose process name holds a space and a parenthesis.
STAT = "4242 (python -m (x) y) S 1 4242 4242 0 -1 4194560 1 0 0 0 250 50 0 0 20 0 3 0 99"


def test_cpu_time_is_user_plus_system_ticks_whatever_the_process_is_called() -> None:
    assert cpu_seconds_from_stat(STAT, 100) == 3.0


def test_this_process_has_spent_some_cpu_time() -> None:
    seconds = cpu_seconds(os.getpid())
    assert seconds is not None
    assert seconds > 0


def test_a_counter_per_request_is_its_growth_divided_by_the_requests() -> None:
    before = {"cpu:gateway": 10.0, "cpu:points": 4.0, "cpu:gone": 1.0}
    after = {"cpu:gateway": 12.0, "cpu:points": 4.5}
    assert per_request(before, after, 500) == {"cpu:gateway": 0.004, "cpu:points": 0.001}
    assert per_request(before, after, 0) == {}


def test_what_a_counter_grows_by_when_idle_is_not_charged_to_the_requests() -> None:
    before, after = {"mongo ops": 1000.0}, {"mongo ops": 1700.0}
    idle = {"mongo ops": 10.0}  # background sweeps: 10 operations a second
    growth = per_request(before, after, 100, idle=idle, seconds=20.0)
    assert growth == {"mongo ops": pytest.approx(5.0)}


def best(throughput: float, p99: float = 0.05) -> Summary:
    return Summary(throughput, throughput, 0.01, 0.02, p99, int(throughput * 10), 0, {})


def test_each_scenario_is_shown_as_a_share_of_its_baseline_against_its_target() -> None:
    rows = ratio_rows(
        {"purchase": best(150), "direct": best(200), "read": best(100), "bare": best(1000)},
        [Pairing("purchase", "direct", 0.7), Pairing("read", "bare", 0.4)],
    )
    assert [r.ratio for r in rows] == [pytest.approx(0.75), pytest.approx(0.1)]
    assert [r.met for r in rows] == [True, False]
    table = format_table(rows)
    assert "0.75" in table
    assert "NO" in table


def test_a_scenario_without_a_sustainable_rate_has_no_ratio_to_meet() -> None:
    rows = ratio_rows({"purchase": None}, [Pairing("purchase", "direct", 0.7)])
    assert rows[0].rate == 0.0
    assert rows[0].ratio is None
    assert rows[0].met is None
