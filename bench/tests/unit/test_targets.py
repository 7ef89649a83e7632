"""The targets a run is held to, and what keeps its ratios honest."""

from __future__ import annotations

import pytest

from bench.measure import Measured
from bench.stats import Summary
from bench.stepping import Search
from bench.targets import (
    AFTER,
    MIXED_DAY,
    baselines,
    busy,
    fast_best,
    generator_cpu_share,
    predicted_mix,
    rows,
)
from bench.wrk import parse


def step(rate: float, p99: float = 0.05) -> Summary:
    return Summary(rate, rate, 0.01, 0.02, p99, int(rate * 10), 0, {})


def measured(name: str, *steps: Summary) -> Measured:
    return Measured(name, Search(list(steps)))


def test_ratios_are_taken_against_the_faster_of_a_baselines_two_measurements() -> None:
    results = {
        "direct PyMongo tx": measured("d", step(100)),
        "direct PyMongo tx" + AFTER: measured("d2", step(120)),
    }
    chosen, drift = baselines(results)
    assert chosen["direct PyMongo tx"].throughput == 120
    assert drift["direct PyMongo tx"].share == pytest.approx(20 / 120)
    assert drift["direct PyMongo tx"].flagged


def test_baselines_within_fifteen_percent_of_each_other_are_not_flagged() -> None:
    results = {
        "bare FastAPI": measured("b", step(1000)),
        "bare FastAPI" + AFTER: measured("b", step(900)),
    }
    _, drift = baselines(results)
    assert not drift["bare FastAPI"].flagged


def test_the_mixed_day_is_held_to_the_rate_its_mix_of_baselines_predicts() -> None:
    assert predicted_mix(bare=1000, direct=100) == pytest.approx(1 / (0.6 / 1000 + 0.4 / 100))
    assert predicted_mix(bare=0, direct=100) == 0.0


def test_the_mixed_day_counts_only_steps_with_p99_under_half_a_second() -> None:
    mixed = measured(MIXED_DAY, step(50, p99=0.1), step(75, p99=0.7), step(110, p99=1.5))
    best = fast_best(mixed, 0.5)
    assert best is not None
    assert best.offered == 50


def test_the_table_rows_use_the_chosen_baselines_and_the_predicted_mix() -> None:
    results = {
        "direct PyMongo tx": measured("d", step(100)),
        "direct PyMongo tx" + AFTER: measured("d", step(90)),
        "bare FastAPI": measured("b", step(1000)),
        "bare FastAPI" + AFTER: measured("b", step(1000)),
        "1 purchase": measured("p", step(75)),
        MIXED_DAY: measured("m", step(100, p99=0.2), step(150, p99=0.8)),
    }
    table = {r.scenario: r for r in rows(results, engine=12_000)}
    assert table["1 purchase"].ratio == pytest.approx(0.75)
    assert table["1 purchase"].met
    mix = table[MIXED_DAY]
    assert mix.rate == 100
    assert mix.baseline_rate == pytest.approx(predicted_mix(1000, 100))
    assert table["5 rules engine (100)"].met
    assert table["2 balance read"].ratio == 0.0
    assert not table["2 balance read"].met


def test_the_generators_cpu_is_reported_as_a_share_of_one_core() -> None:
    purchase = measured("p", step(200))
    purchase.per_request[200] = {"cpu:load generator": 0.0015}
    assert generator_cpu_share({"1 purchase": purchase}) == {"1 purchase": 0.3}


def test_a_machine_with_a_load_average_above_half_its_cpus_is_busy() -> None:
    assert busy(1.5, cpus=2)
    assert not busy(0.4, cpus=2)


WRK_OUTPUT = """Running 4s test @ http://127.0.0.1:4000/v1/ping
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.12ms    1.23ms  20.00ms   90.00%
    Req/Sec     6.25k   300.00     7.00k    80.00%
  Latency Distribution
     50%  812.00us
     75%    5.50ms
     90%    6.10ms
     99%    1.02s
  25000 requests in 4.00s, 3.60MB read
Requests/sec:   6249.50
Transfer/sec:      0.90MB
"""


def test_wrk_output_gives_its_rate_and_latency_percentiles_in_milliseconds() -> None:
    assert parse(WRK_OUTPUT) == {
        "requests_per_s": 6249.5,
        "p50_ms": 0.812,
        "p90_ms": 6.1,
        "p99_ms": 1020.0,
    }
