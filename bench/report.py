"""The results: a table of each scenario against its baseline, a JSON file and a chart."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.stats import Summary


@dataclass(frozen=True)
class Pairing:
    scenario: str
    baseline: str
    target: float | None  # the least ratio that meets the target; None: shown only


@dataclass(frozen=True)
class Row:
    scenario: str
    rate: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    errors: int
    baseline: str
    baseline_rate: float
    target: float | None

    @property
    def ratio(self) -> float | None:
        return self.rate / self.baseline_rate if self.baseline_rate > 0 else None

    @property
    def met(self) -> bool | None:
        if self.target is None or self.ratio is None:
            return None
        return self.ratio >= self.target


def row_of(
    name: str, best: Summary | None, baseline: str, base: Summary | None, target: float | None
) -> Row:
    return Row(
        scenario=name,
        rate=best.throughput if best else 0.0,
        p50_ms=best.p50 * 1000 if best else None,
        p95_ms=best.p95 * 1000 if best else None,
        p99_ms=best.p99 * 1000 if best else None,
        errors=best.errors if best else 0,
        baseline=baseline,
        baseline_rate=base.throughput if base else 0.0,
        target=target,
    )


def ratio_rows(bests: Mapping[str, Summary | None], pairings: Sequence[Pairing]) -> list[Row]:
    """One row per pairing: the scenario's sustained rate as a share of its baseline's."""
    return [
        row_of(p.scenario, bests.get(p.scenario), p.baseline, bests.get(p.baseline), p.target)
        for p in pairings
    ]


def _cell(value: float | None, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def format_table(rows: Sequence[Row]) -> str:
    head = (
        f"{'scenario':<24} {'rate/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6}  {'baseline':<20} {'base/s':>9} {'ratio':>6} {'target':>7}  met"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        met = {True: "yes", False: "NO", None: ""}[r.met]
        target = "" if r.target is None else f"≥{r.target:.2f}"
        lines.append(
            f"{r.scenario:<24} {r.rate:>9.1f} {_cell(r.p50_ms, '.1f'):>8} "
            f"{_cell(r.p95_ms, '.1f'):>8} {_cell(r.p99_ms, '.1f'):>8} {r.errors:>6}  "
            f"{r.baseline:<20} {r.baseline_rate:>9.1f} {_cell(r.ratio, '.2f'):>6} "
            f"{target:>7}  {met}"
        )
    return "\n".join(lines)


def write_json(path: Path, document: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, sort_keys=False, default=str) + "\n")


def write_chart(path: Path, rows: Sequence[Row], title: str) -> None:
    import matplotlib  # noqa: PLC0415 - only the chart needs it, and it is slow to import

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    figure, (rates, latency) = plt.subplots(1, 2, figsize=(13, 5))
    names = [r.scenario for r in rows]
    positions = range(len(rows))
    rates.barh([p + 0.2 for p in positions], [r.rate for r in rows], 0.4, label="scenario")
    rates.barh([p - 0.2 for p in positions], [r.baseline_rate for r in rows], 0.4, label="baseline")
    rates.set_yticks(list(positions), names)
    rates.set_xscale("log")
    rates.set_xlabel("sustained rate (requests/s, log scale)")
    rates.legend()
    timed = [r for r in rows if r.p99_ms is not None]
    for offset, label in enumerate(("p50", "p95", "p99")):
        latency.barh(
            [i + (offset - 1) * 0.27 for i in range(len(timed))],
            [getattr(r, f"{label}_ms") or 0.0 for r in timed],
            0.27,
            label=label,
        )
    latency.set_yticks(list(range(len(timed))), [r.scenario for r in timed])
    latency.set_xlabel("latency at the sustained rate (ms)")
    latency.legend()
    figure.suptitle(title)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)


RESOURCE_COLUMNS = (
    "gateway",
    "member",
    "points",
    "campaign",
    "analytics",
    "mongo",
    "redis",
    "nats",
    "server",
)


def format_resources(per_request: Mapping[str, Mapping[str, float]]) -> str:
    """CPU milliseconds each process spends per request, and database operations per
    request, at each scenario's sustained rate (idle background removed)."""
    head = f"{'scenario':<24} " + " ".join(f"{c:>8}" for c in RESOURCE_COLUMNS)
    head += f" {'load gen':>8} {'db ops':>7}"
    lines = ["CPU ms per request, by process; database operations per request", head]
    lines.append("-" * len(head))
    for name, growth in per_request.items():
        cells = [_cell(_ms(growth.get(f"cpu:{c}")), ".2f") for c in RESOURCE_COLUMNS]
        cells.append(_cell(_ms(growth.get("cpu:load generator")), ".2f"))
        row = f"{name:<24} " + " ".join(f"{c:>8}" for c in cells)
        lines.append(row + f" {_cell(growth.get('mongo ops'), '.1f'):>7}")
    return "\n".join(lines)


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000
