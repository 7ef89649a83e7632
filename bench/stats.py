"""What a phase of load amounts to: throughput, latency percentiles, errors, and whether
the rate it was offered is sustainable."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bench.backlog import Verdict
from bench.openloop import Phase

# A rate is sustainable when this share of it is answered successfully in time, ...
MIN_DELIVERED = 0.95
# ... at most this share of requests fail, ...
MAX_ERROR_SHARE = 0.01
# ... and the slowest 1 % stay under this bound (a till waits no longer).
MAX_P99_SECONDS = 1.0


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0-100) of `values`; 0.0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass(frozen=True)
class Summary:
    offered: float  # requests/s scheduled
    throughput: float  # successful answers/s over the phase
    p50: float  # seconds
    p95: float
    p99: float
    requests: int
    errors: int
    error_kinds: dict[str, int]
    # how the platform's backlog behaved in the step; None where there is none (baselines)
    backlog: Verdict | None = None

    @property
    def error_share(self) -> float:
        return self.errors / self.requests if self.requests else 0.0

    @property
    def sustainable(self) -> bool:
        return (
            self.requests > 0
            and self.throughput >= MIN_DELIVERED * self.offered
            and self.error_share <= MAX_ERROR_SHARE
            and self.p99 <= MAX_P99_SECONDS
            and (self.backlog is None or self.backlog.ok)
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "offered_per_s": round(self.offered, 1),
            "throughput_per_s": round(self.throughput, 1),
            "p50_ms": round(self.p50 * 1000, 2),
            "p95_ms": round(self.p95 * 1000, 2),
            "p99_ms": round(self.p99 * 1000, 2),
            "requests": self.requests,
            "errors": self.errors,
            "error_kinds": self.error_kinds,
            "sustainable": self.sustainable,
            **(self.backlog.as_dict() if self.backlog else {}),
        }


def summarize(phase: Phase) -> Summary:
    """Unfinished requests count as errors, with the drain's wait as their latency."""
    latencies = [s.latency for s in phase.samples]
    latencies += [phase.elapsed] * phase.unfinished
    kinds = Counter(s.error for s in phase.samples if s.error is not None)
    if phase.unfinished:
        kinds["unfinished"] = phase.unfinished
    errors = sum(kinds.values())
    ok = len(phase.samples) - (errors - phase.unfinished)
    return Summary(
        offered=phase.rate,
        throughput=ok / phase.elapsed if phase.elapsed > 0 else 0.0,
        p50=percentile(latencies, 50),
        p95=percentile(latencies, 95),
        p99=percentile(latencies, 99),
        requests=len(phase.samples) + phase.unfinished,
        errors=errors,
        error_kinds=dict(sorted(kinds.items())),
    )
