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

# A step's backlog may not reach in its second half more than this many times the
# largest it was in its first half (plus a little slack): a backlog that keeps growing
# with the step's length is not bounded.
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


def bounded(samples: Sequence[int]) -> bool:
    """True unless the second half of the step's samples outgrows the first half's."""
    if len(samples) < 2:
        return True
    half = len(samples) // 2
    first, second = samples[:half], samples[half:]
    return max(second) <= GROWTH_FACTOR * max(first) + GROWTH_SLACK


def judge(during: Sequence[int], drained_after: float | None) -> Verdict:
    """The verdict from the samples taken during the step and the seconds the drain took
    after it (None: it did not drain within the limit)."""
    return Verdict(
        peak=max(during, default=0),
        bounded=bounded(during),
        drained=drained_after is not None,
        drain_seconds=DRAIN_LIMIT_SECONDS if drained_after is None else drained_after,
    )
