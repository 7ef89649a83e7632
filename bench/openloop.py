"""An open-loop load generator: requests leave on a fixed schedule, whatever the answers.

A closed loop (send, wait, send) slows down with the system under test and so hides its
stalls. Here request i is due at `i / rate` seconds; its latency is measured from that
intended time, not from when it actually left, so a generator that falls behind (or a
server that stalls it) shows up in the latencies instead of vanishing from them
("coordinated omission").
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

Call = Callable[[int], Awaitable[str | None]]
"""Sends request i; returns None on success or a short error code."""


@dataclass(frozen=True)
class Sample:
    intended: float  # seconds after the phase started, when the request was due
    latency: float  # seconds from `intended` to the answer
    error: str | None


@dataclass(frozen=True)
class Phase:
    rate: float
    duration: float
    samples: tuple[Sample, ...]
    elapsed: float  # from the start until the last answer (or the drain's end)
    unfinished: int  # requests still waiting when the drain gave up


def schedule(rate: float, duration: float) -> list[float]:
    """When each request is due, in seconds from the start."""
    count = int(rate * duration)
    return [i / rate for i in range(count)]


class Clock:
    """Real time; tests give a fake one."""

    def now(self) -> float:
        return time.perf_counter()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


async def _timed(call: Call, index: int, due: float, start: float, clock: Clock) -> Sample:
    try:
        error = await call(index)
    except Exception as exc:  # any failure of the request is a sample, not a crash
        error = type(exc).__name__
    return Sample(due - start, clock.now() - due, error)


async def run_open_loop(
    call: Call, rate: float, duration: float, *, drain: float = 30.0, clock: Clock | None = None
) -> Phase:
    clock = clock or Clock()
    start = clock.now()
    tasks: list[asyncio.Task[Sample]] = []
    for index, offset in enumerate(schedule(rate, duration)):
        due = start + offset
        wait = due - clock.now()
        if wait > 0:
            await clock.sleep(wait)
        tasks.append(asyncio.create_task(_timed(call, index, due, start, clock)))
    done, pending = await asyncio.wait(tasks, timeout=drain) if tasks else (set(), set())
    for task in pending:
        task.cancel()
    samples = sorted((task.result() for task in done), key=lambda s: s.intended)
    last = max((s.intended + s.latency for s in samples), default=0.0)
    elapsed = max(duration, last) if not pending else clock.now() - start
    return Phase(rate, duration, tuple(samples), elapsed, len(pending))
