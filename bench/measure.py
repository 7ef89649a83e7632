"""One scenario measured: a warm-up, then the rate search, with each process's CPU time
per request at every step."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bench import cpu
from bench.openloop import Call, run_open_loop
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


@dataclass
class Measured:
    name: str
    search: Search = field(default_factory=Search)
    cpu_per_request: dict[float, dict[str, float]] = field(default_factory=dict)

    @property
    def best(self) -> Summary | None:
        return self.search.best

    @property
    def best_cpu(self) -> dict[str, float]:
        best = self.best
        return self.cpu_per_request.get(best.offered, {}) if best else {}

    def as_dict(self) -> dict[str, object]:
        best = self.best
        return {
            "best": best.as_dict() if best else None,
            "peak_throughput_per_s": round(self.search.peak_throughput, 1),
            "cpu_seconds_per_request": {k: round(v, 6) for k, v in self.best_cpu.items()},
            "steps": [
                {**s.as_dict(), "cpu_seconds_per_request": self.cpu_per_request.get(s.offered)}
                for s in self.search.steps
            ],
        }


def _say(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


async def run_phase(
    call: Call, rate: float, seconds: float, pids: Callable[[], Mapping[str, int]]
) -> tuple[Summary, dict[str, float]]:
    before = cpu.snapshot(pids())
    phase = await run_open_loop(call, rate, seconds)
    after = cpu.snapshot(pids())
    summary = summarize(phase)
    return summary, cpu.per_request(before, after, summary.requests - summary.errors)


async def measure(
    name: str,
    call: Call,
    start_rate: float,
    plan: Plan,
    pids: Callable[[], Mapping[str, int]],
) -> Measured:
    measured = Measured(name)
    _say(f"{name}: warming up at {start_rate:.0f}/s")
    await run_open_loop(call, start_rate, plan.warmup_seconds)

    async def step(rate: float) -> Summary:
        await asyncio.sleep(COOLDOWN_SECONDS)
        summary, per_request = await run_phase(call, rate, plan.step_seconds, pids)
        measured.cpu_per_request[summary.offered] = per_request
        verdict = "ok" if summary.sustainable else "not sustained"
        _say(
            f"{name}: offered {rate:7.1f}/s -> {summary.throughput:7.1f}/s, "
            f"p99 {summary.p99 * 1000:7.1f} ms, errors {summary.errors} ({verdict})"
        )
        return summary

    measured.search = await find_sustainable(
        step, start_rate, factor=plan.factor, max_steps=plan.max_steps
    )
    return measured
