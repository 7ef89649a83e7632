"""One scenario measured: a warm-up, then the rate search, with each process's CPU time
and database operations per request at every step. A platform scenario's step also
watches the platform's backlog (bench/backlog.py): it counts only if the backlog stays
bounded and drains after it, and its counters are read after the drain."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace

from bench.backlog import RAMP_SECONDS, Verdict, judge
from bench.backlog_probe import (
    SAMPLE_SECONDS,
    SETTLE_LIMIT_SECONDS,
    Backlog,
    labels,
    sample_until,
)
from bench.openloop import Call, run_open_loop
from bench.progress import say
from bench.stats import Summary, summarize
from bench.stepping import Search, find_sustainable

# Lets queues left by an overloaded step drain before the next one starts.
COOLDOWN_SECONDS = 2.0


@dataclass(frozen=True)
class Plan:
    step_seconds: float
    max_steps: int
    warmup_seconds: float
    factor: float = 1.5
    # baselines step up until they fail; this only stops a runaway search
    baseline_max_steps: int = 30


@dataclass
class Measured:
    name: str
    search: Search = field(default_factory=Search)
    # by offered rate: each counter's growth per successful request, idle growth removed
    per_request: dict[float, dict[str, float]] = field(default_factory=dict)

    @property
    def best(self) -> Summary | None:
        return self.search.best

    @property
    def best_per_request(self) -> dict[str, float]:
        best = self.best
        return self.per_request.get(best.offered, {}) if best else {}

    def as_dict(self) -> dict[str, object]:
        best = self.best
        return {
            "best": best.as_dict() if best else None,
            "peak_throughput_per_s": round(self.search.peak_throughput, 1),
            "per_request": _rounded(self.best_per_request),
            "steps": [
                {**s.as_dict(), "per_request": _rounded(self.per_request.get(s.offered, {}))}
                for s in self.search.steps
            ],
        }


def _rounded(values: Mapping[str, float]) -> dict[str, float]:
    return {name: round(value, 6) for name, value in values.items()}


Counters = Callable[[], Awaitable[Mapping[str, float]]]
"""Cumulative counters (CPU seconds of each process, database operations) read before and
after each phase."""


def per_request(
    before: Mapping[str, float],
    after: Mapping[str, float],
    requests: int,
    *,
    idle: Mapping[str, float] | None = None,
    seconds: float = 0.0,
) -> dict[str, float]:
    """Each counter's growth per successful request, less what it grows by when idle
    (background sweeps and relays) over the same time."""
    if requests <= 0:
        return {}
    idle = idle or {}
    return {
        name: max(0.0, after[name] - before[name] - idle.get(name, 0.0) * seconds) / requests
        for name in after
        if name in before
    }


async def idle_rates(counters: Counters, seconds: float) -> dict[str, float]:
    """What each counter grows by per second with no load at all."""
    before = await counters()
    await asyncio.sleep(seconds)
    after = await counters()
    return {name: (after[name] - before[name]) / seconds for name in after if name in before}


async def run_phase(
    call: Call,
    rate: float,
    seconds: float,
    counters: Counters,
    idle: Mapping[str, float],
    *,
    backlog: Backlog | None = None,
) -> tuple[Summary, dict[str, float]]:
    """One phase of load; with a `backlog`, judged by it too, and counted until it drained."""
    before = await counters()
    stop = asyncio.Event()
    sampling = asyncio.create_task(sample_until(backlog, stop)) if backlog else None
    phase = await run_open_loop(call, rate, seconds)
    verdict: Verdict | None = None
    if backlog is not None and sampling is not None:
        stop.set()
        ramp = round(RAMP_SECONDS / SAMPLE_SECONDS)
        verdict = judge(await sampling, await backlog.drain(), rate=rate, ramp=ramp)
    after = await counters()
    summary = replace(summarize(phase), backlog=verdict)
    done = summary.requests - summary.errors
    counted = phase.elapsed + (verdict.drain_seconds if verdict else 0.0)
    return summary, per_request(before, after, done, idle=idle, seconds=counted)


async def measure(
    name: str,
    call: Call,
    start_rate: float,
    plan: Plan,
    *,
    counters: Counters,
    idle: Mapping[str, float],
    backlog: Backlog | None = None,
) -> Measured:
    """A platform scenario passes the `backlog` to watch; a baseline passes none and
    steps until it fails."""
    measured = Measured(name)
    say(f"{name}: warming up at {start_rate:.0f}/s")
    await run_open_loop(call, start_rate, plan.warmup_seconds)

    async def step(rate: float) -> Summary:
        await asyncio.sleep(COOLDOWN_SECONDS)
        if backlog is not None and await backlog.drain(SETTLE_LIMIT_SECONDS) is None:
            say(f"{name}: the last step's backlog did not drain: {labels(backlog.last)}")
        summary, growth = await run_phase(
            call, rate, plan.step_seconds, counters, idle, backlog=backlog
        )
        measured.per_request[summary.offered] = growth
        verdict = "ok" if summary.sustainable else "not sustained"
        left = summary.backlog
        behind = f", backlog peak {left.peak}" if left else ""
        if left and backlog and not left.drained:
            behind += f", not drained: {labels(backlog.last)}"
        say(
            f"{name}: offered {rate:7.1f}/s -> {summary.throughput:7.1f}/s, "
            f"p99 {summary.p99 * 1000:7.1f} ms, errors {summary.errors}{behind} ({verdict})"
        )
        return summary

    steps = plan.max_steps if backlog is not None else plan.baseline_max_steps
    measured.search = await find_sustainable(step, start_rate, factor=plan.factor, max_steps=steps)
    return measured
