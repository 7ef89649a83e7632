"""Find the highest rate a scenario sustains by stepping the offered rate.

Up by `factor` while each step is sustainable; after the first step that is not, one more
step halfway (geometrically) between the last good and the first bad rate. If the first
step already fails, down by `factor` until one holds.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bench.stats import Summary

RunAt = Callable[[float], Awaitable[Summary]]


@dataclass
class Search:
    steps: list[Summary] = field(default_factory=list)

    @property
    def best(self) -> Summary | None:
        """The sustainable step with the highest offered rate."""
        good = [s for s in self.steps if s.sustainable]
        return max(good, key=lambda s: s.offered, default=None)

    @property
    def peak_throughput(self) -> float:
        return max((s.throughput for s in self.steps), default=0.0)


async def find_sustainable(
    run_at: RunAt, start: float, *, factor: float = 1.5, max_steps: int = 8, floor: float = 1.0
) -> Search:
    search = Search()
    rate = start
    good: float | None = None
    bad: float | None = None
    while len(search.steps) < max_steps:
        summary = await run_at(rate)
        search.steps.append(summary)
        if summary.sustainable:
            good = rate
            if bad is not None:
                break
            rate *= factor
        else:
            bad = rate
            if good is not None:
                if bad / good < factor ** (1 / 2) * 1.01:
                    break
                rate = math.sqrt(good * bad)
            else:
                rate /= factor
                if rate < floor:
                    break
    return search
