"""The open-loop generator keeps its schedule and charges lateness to the latency."""

from __future__ import annotations

import asyncio

import pytest

from bench.openloop import Clock, run_open_loop, schedule


class FakeClock(Clock):
    """Time that moves only when told; sleeping moves it and lets other tasks run."""

    def __init__(self) -> None:
        self.time = 0.0

    def now(self) -> float:
        return self.time

    async def sleep(self, seconds: float) -> None:
        self.time += seconds
        await asyncio.sleep(0)


def test_requests_are_due_at_even_intervals_for_the_whole_phase() -> None:
    assert schedule(4, 1.0) == [0.0, 0.25, 0.5, 0.75]
    assert schedule(10, 0.5) == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])


async def test_a_stall_counts_against_every_request_that_was_due_during_it() -> None:
    clock = FakeClock()

    async def call(index: int) -> str | None:
        if index == 0:
            clock.time += 0.3  # the first request blocks everything for 300 ms
        return None

    phase = await run_open_loop(call, 10, 0.5, clock=clock)

    latencies = [round(sample.latency, 6) for sample in phase.samples]
    assert latencies == [0.4, 0.3, 0.2, 0.1, 0.0]
    assert [round(s.intended, 6) for s in phase.samples] == [0.0, 0.1, 0.2, 0.3, 0.4]


async def test_a_failing_request_is_a_sample_with_its_error_not_a_crash() -> None:
    clock = FakeClock()

    async def call(index: int) -> str | None:
        if index == 1:
            raise ConnectionError("reset")
        return "http_409_order_conflict" if index == 2 else None

    phase = await run_open_loop(call, 10, 0.3, clock=clock)

    assert [s.error for s in phase.samples] == [None, "ConnectionError", "http_409_order_conflict"]
    assert phase.unfinished == 0


async def test_requests_still_running_after_the_drain_are_reported_unfinished() -> None:
    never = asyncio.Event()

    async def call(index: int) -> str | None:
        if index == 1:
            await never.wait()
        return None

    phase = await run_open_loop(call, 100, 0.02, drain=0.05)

    assert len(phase.samples) == 1
    assert phase.unfinished == 1
