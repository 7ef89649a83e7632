"""Percentiles, summaries and the sustainable-rate rule."""

from __future__ import annotations

import pytest

from bench.openloop import Phase, Sample
from bench.stats import percentile, summarize


def test_percentiles_are_nearest_rank_values_of_the_data() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 99) == 0.0


def test_a_percentile_does_not_depend_on_the_order_of_the_samples() -> None:
    assert percentile([5.0, 1.0, 4.0, 2.0, 3.0], 50) == 3.0


def phase(latencies: list[float], errors: dict[int, str] | None = None, **kw: float) -> Phase:
    samples = tuple(
        Sample(i / 10, latency, (errors or {}).get(i)) for i, latency in enumerate(latencies)
    )
    return Phase(
        rate=kw.get("rate", 10.0),
        duration=kw.get("duration", 1.0),
        samples=samples,
        elapsed=kw.get("elapsed", 1.0),
        unfinished=int(kw.get("unfinished", 0)),
    )


def test_throughput_counts_only_successful_answers_over_the_phase() -> None:
    summary = summarize(phase([0.01] * 10, {3: "http_503", 7: "http_503"}, elapsed=2.0))
    assert summary.throughput == pytest.approx(4.0)
    assert summary.errors == 2
    assert summary.error_kinds == {"http_503": 2}


def test_a_rate_answered_in_full_and_fast_is_sustainable() -> None:
    assert summarize(phase([0.02] * 10)).sustainable


def test_a_rate_with_a_slow_tail_is_not_sustainable() -> None:
    summary = summarize(phase([0.02] * 9 + [1.5]))
    assert summary.p99 == 1.5
    assert not summary.sustainable


def test_a_rate_with_errors_is_not_sustainable() -> None:
    assert not summarize(phase([0.02] * 10, {0: "http_500"})).sustainable


def test_unfinished_requests_are_errors_with_the_whole_wait_as_latency() -> None:
    summary = summarize(phase([0.02] * 8, unfinished=2, elapsed=31.0))
    assert summary.requests == 10
    assert summary.error_kinds == {"unfinished": 2}
    assert summary.p99 == 31.0
    assert not summary.sustainable
