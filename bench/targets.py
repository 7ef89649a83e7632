"""The targets `make bench` checks, from a run's results (docs/performance.md lists them).

The ratios are taken against each baseline's *higher* measurement of the two (before and
after the platform's scenarios), so a baseline that happened to run slow cannot flatter
the platform; when the two differ by more than `DRIFT_LIMIT` the run says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from bench.measure import Measured
from bench.report import Pairing, Row, row_of
from bench.stats import Summary

AFTER = " (after)"
DRIFT_LIMIT = 0.15
MIXED_DAY = "4 mixed day"
MIXED_P99_SECONDS = 0.5
# the mixed day's shares: reads are answered like the bare endpoint at best, writes like
# the direct transaction at best
READ_SHARE, WRITE_SHARE = 0.6, 0.4
MIXED_BASELINE = "baseline mix"
WRITES_PER_PURCHASE_TARGET = 10.0
ENGINE_TARGET = 10_000.0
# a machine busier than this (load average per CPU at the start) is flagged
BUSY_LOAD_PER_CPU = 0.5

PAIRINGS = (
    Pairing("1 purchase", "direct PyMongo tx", 0.70),
    Pairing("2 balance read", "bare FastAPI", 0.50),
    Pairing("3 redemption holds", "direct PyMongo tx", 0.70),
    Pairing(MIXED_DAY, MIXED_BASELINE, 0.50),
    Pairing("bare FastAPI", "bare grpc.aio echo", None),
)


@dataclass(frozen=True)
class Drift:
    before: float
    after: float

    @property
    def share(self) -> float:
        high = max(self.before, self.after)
        return abs(self.before - self.after) / high if high > 0 else 0.0

    @property
    def flagged(self) -> bool:
        return self.share > DRIFT_LIMIT

    def as_dict(self) -> dict[str, object]:
        return {
            "before_per_s": round(self.before, 1),
            "after_per_s": round(self.after, 1),
            "differ": round(self.share, 3),
            "flagged": self.flagged,
        }


def _rate(measured: Measured | None) -> float:
    best = measured.best if measured else None
    return best.throughput if best else 0.0


def baselines(results: Mapping[str, Measured]) -> tuple[dict[str, Summary], dict[str, Drift]]:
    """Each baseline's best step (the higher of its two measurements) and its drift."""
    chosen: dict[str, Summary] = {}
    drift: dict[str, Drift] = {}
    for name, measured in results.items():
        if name.endswith(AFTER) or name + AFTER not in results:
            continue
        again = results[name + AFTER]
        drift[name] = Drift(_rate(measured), _rate(again))
        higher = measured if _rate(measured) >= _rate(again) else again
        if higher.best is not None:
            chosen[name] = higher.best
    return chosen, drift


def predicted_mix(bare: float, direct: float) -> float:
    """The rate a 60 % read / 40 % write mix would reach if every request cost what its
    baseline costs: 1 / (0.6 / bare + 0.4 / direct)."""
    if bare <= 0 or direct <= 0:
        return 0.0
    return 1 / (READ_SHARE / bare + WRITE_SHARE / direct)


def fast_best(measured: Measured | None, p99_seconds: float) -> Summary | None:
    """The sustainable step with the highest rate whose p99 is also under `p99_seconds`."""
    steps = measured.search.steps if measured else []
    fast = [s for s in steps if s.sustainable and s.p99 < p99_seconds]
    return max(fast, key=lambda s: s.offered, default=None)


def rows(results: Mapping[str, Measured], engine: float) -> list[Row]:
    chosen, _ = baselines(results)
    bests: dict[str, Summary | None] = {
        name: m.best for name, m in results.items() if not name.endswith(AFTER)
    }
    bests |= chosen
    bests[MIXED_DAY] = fast_best(results.get(MIXED_DAY), MIXED_P99_SECONDS)
    bare = chosen.get("bare FastAPI")
    direct = chosen.get("direct PyMongo tx")
    mix = predicted_mix(bare.throughput if bare else 0.0, direct.throughput if direct else 0.0)
    table = []
    for p in PAIRINGS:
        row = row_of(p.scenario, bests.get(p.scenario), p.baseline, bests.get(p.baseline), p.target)
        if p.baseline == MIXED_BASELINE:
            row = replace(row, baseline_rate=mix)
        table.append(row)
    engine_row = Row(
        "5 rules engine (100)", engine, None, None, None, 0, "target", ENGINE_TARGET, 1.0
    )
    return [*table, engine_row]
    return table


def generator_cpu_share(results: Mapping[str, Measured]) -> dict[str, float]:
    """The load generator's own CPU at each scenario's best step, as a share of one core."""
    shares = {}
    for name, measured in results.items():
        best, growth = measured.best, measured.best_per_request
        if best is not None and "cpu:load generator" in growth:
            shares[name] = round(growth["cpu:load generator"] * best.throughput, 3)
    return shares


def busy(load_average: float, cpus: int) -> bool:
    return load_average > BUSY_LOAD_PER_CPU * cpus
