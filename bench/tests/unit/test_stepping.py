"""The rate search steps up until a rate fails, then tries once in between."""

from __future__ import annotations

from bench.stats import Summary
from bench.stepping import RunAt, find_sustainable


def fake_system(capacity: float) -> tuple[list[float], RunAt]:
    offered: list[float] = []

    async def run_at(rate: float) -> Summary:
        offered.append(rate)
        delivered = min(rate, capacity)
        p99 = 0.05 if rate <= capacity else 2.0
        return Summary(rate, delivered, 0.01, 0.02, p99, int(rate), 0, {})

    return offered, run_at


async def test_the_search_finds_the_highest_sustainable_of_the_rates_it_tried() -> None:
    offered, run_at = fake_system(capacity=100)
    search = await find_sustainable(run_at, 20, factor=2)
    assert offered[:4] == [20, 40, 80, 160]
    assert offered[4] == (80 * 160) ** 0.5
    best = search.best
    assert best is not None
    assert best.offered == 80
    assert search.peak_throughput == 100


async def test_when_the_first_rate_fails_the_search_steps_down() -> None:
    offered, run_at = fake_system(capacity=10)
    search = await find_sustainable(run_at, 40, factor=2)
    assert offered[:3] == [40, 20, 10]
    best = search.best
    assert best is not None
    assert best.offered == 10


async def test_a_system_that_never_sustains_anything_has_no_best_rate() -> None:
    offered, run_at = fake_system(capacity=0)
    search = await find_sustainable(run_at, 8, factor=2, max_steps=10)
    assert search.best is None
    assert offered == [8, 4, 2, 1]
