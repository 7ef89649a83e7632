"""The platform's backlog: work a request has caused that is not done yet.

A purchase answers the till before everything it causes is done: its outbox rows still
have to be published, the consumers of its events still have to handle them, and the
budget it reserved still has to be settled. A step that answers quickly while this work
piles up is not sustained, it is borrowing. So a step counts only if its backlog stays
bounded while it runs and drains within a few seconds after it (`judge`), and the counters
of a step are read after that drain, so the later work is charged to the requests that
caused it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# The first seconds of a step fill the pipeline (relays, consumers): not counted.
RAMP_SECONDS = 2.0
# After the ramp, a step's backlog may not reach in the second half of its samples more
# than this many times the largest it was in the first half, plus a second's worth of the
# offered rate: a backlog that keeps growing with the step's length is not bounded.
GROWTH_FACTOR = 1.5
GROWTH_SLACK = 20
# After the step, the backlog must fall back to about its idle size within this long.
DRAIN_LIMIT_SECONDS = 5.0


@dataclass(frozen=True)
class Verdict:
    """How a step's backlog behaved."""

    peak: int
    bounded: bool
    drained: bool
    drain_seconds: float

    @property
    def ok(self) -> bool:
        return self.bounded and self.drained

    def as_dict(self) -> dict[str, object]:
        return {
            "backlog_peak": self.peak,
            "backlog_bounded": self.bounded,
            "backlog_drained": self.drained,
            "drain_seconds": round(self.drain_seconds, 1),
        }


def bounded(samples: Sequence[int], rate: float = 0.0, ramp: int = 0) -> bool:
    """True unless, after the first `ramp` samples, the second half of the step's samples
    outgrows the first half's (by more than a second's worth of `rate`)."""
    steady = samples[ramp:]
    if len(steady) < 2:
        return True
    half = len(steady) // 2
    first, second = steady[:half], steady[half:]
    return max(second) <= GROWTH_FACTOR * max(first) + GROWTH_SLACK + rate


def judge(
    during: Sequence[int], drained_after: float | None, *, rate: float = 0.0, ramp: int = 0
) -> Verdict:
    """The verdict from the samples taken during a step offered `rate` requests a second
    (the first `ramp` of them filling the pipeline) and the seconds the drain took after
    it (None: it did not drain within the limit)."""
    return Verdict(
        peak=max(during, default=0),
        bounded=bounded(during, rate, ramp),
        drained=drained_after is not None,
        drain_seconds=DRAIN_LIMIT_SECONDS if drained_after is None else drained_after,
    )
