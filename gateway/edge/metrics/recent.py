"""The gateway's calls to each service over the last minutes, and how many failed.

Prometheus computes rates from counters; the console's status page has no Prometheus to
ask, so the gateway keeps a short window of its own: one bucket per minute per service,
the oldest dropped as time moves on.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

# A status that says the service failed, as the LoyaltyRpcErrorRate alert counts them;
# refusals (NOT_FOUND, FAILED_PRECONDITION, ...) are answers, not errors.
FAILURES = frozenset({"INTERNAL", "UNKNOWN", "UNAVAILABLE", "DEADLINE_EXCEEDED", "DATA_LOSS"})
WINDOW_MINUTES = 5


@dataclass(frozen=True)
class CallCounts:
    calls: int = 0
    failed: int = 0

    def __add__(self, other: CallCounts) -> CallCounts:
        return CallCounts(self.calls + other.calls, self.failed + other.failed)


def service_of(method: str) -> str:
    """`/loyalty.points.v1.PointsService/AccrueOrder` is the points service's."""
    package = method.lstrip("/").split("/", 1)[0]
    parts = package.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "loyalty" else package


class RecentCalls:
    def __init__(
        self, minutes: int = WINDOW_MINUTES, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.minutes = minutes
        self._clock = clock
        self._buckets: dict[str, dict[int, CallCounts]] = defaultdict(dict)

    def record(self, method: str, code: str) -> None:
        minute = int(self._clock() // 60)
        buckets = self._buckets[service_of(method)]
        counts = CallCounts(1, 1 if code in FAILURES else 0)
        buckets[minute] = buckets.get(minute, CallCounts()) + counts
        for old in [m for m in buckets if m <= minute - self.minutes]:
            del buckets[old]

    def counts(self, service: str) -> CallCounts:
        """The calls of the current minute and the `minutes - 1` before it."""
        oldest = int(self._clock() // 60) - self.minutes + 1
        found = self._buckets.get(service, {})
        return sum((c for m, c in found.items() if m >= oldest), CallCounts())
