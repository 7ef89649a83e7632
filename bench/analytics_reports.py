"""The analytics reports' latency on the loaded tenant: each report asked a few times
through the gateway, as the console asks it (a year of days where a range applies), and
its p50 and p95 against the issue's 200 ms."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta

import httpx

from bench.progress import say
from bench.stats import percentile

TARGET_MS = 200.0
ROUNDS = 5
YEAR_DAYS = 364
BASE = "/v1/admin/analytics"


def report_queries(today: date) -> dict[str, tuple[str, dict[str, str]]]:
    """Each report's path and query: a year ending today where a range applies; the sales
    also as a store manager filters them (one store, then one store and one tier: the
    bench's members stay in the tier they enrolled in, `member`)."""
    year = {"from": (today - timedelta(days=YEAR_DAYS)).isoformat(), "to": today.isoformat()}
    one_store = {**year, "store_id": "S001"}
    return {
        "overview": (f"{BASE}/overview", year),
        "liability": (f"{BASE}/liability", {}),
        "sales": (f"{BASE}/sales", year),
        "sales S001": (f"{BASE}/sales", one_store),
        "sales S001 member": (f"{BASE}/sales", {**one_store, "tier": "member"}),
        "retention": (f"{BASE}/retention", year),
        "rfm": (f"{BASE}/rfm", year),
        "churn": (f"{BASE}/churn", {"to": today.isoformat()}),
        "league table": (f"{BASE}/campaigns", year),
    }


@dataclass(frozen=True)
class ReportLatency:
    report: str
    calls: int
    errors: int
    p50_ms: float | None
    p95_ms: float | None
    target_ms: float = TARGET_MS

    @property
    def met(self) -> bool | None:
        return None if self.p95_ms is None else self.p95_ms <= self.target_ms

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "met": self.met}


def summarize(report: str, seconds: Sequence[float], errors: int) -> ReportLatency:
    """Latencies of the answered calls (errors are counted, not timed)."""
    if not seconds:
        return ReportLatency(report, errors, errors, None, None)
    p50, p95 = (round(percentile(seconds, q) * 1000, 1) for q in (50, 95))
    return ReportLatency(report, len(seconds) + errors, errors, p50, p95)


async def measure_reports(
    http: httpx.AsyncClient, operator_key: str, today: date, rounds: int = ROUNDS
) -> list[ReportLatency]:
    """Each report `rounds` times in turn, one call at a time; the first call of each
    counts too (no warm-up: an operator opening the page meets it)."""
    headers = {"Authorization": f"Bearer {operator_key}"}
    results = []
    for name, (path, params) in report_queries(today).items():
        seconds: list[float] = []
        errors = 0
        for _ in range(rounds):
            started = time.perf_counter()
            answer = await http.get(path, params=params, headers=headers)
            if answer.status_code == 200:
                seconds.append(time.perf_counter() - started)
            else:
                errors += 1
        results.append(latency := summarize(name, seconds, errors))
        say(f"  {name}: p50 {latency.p50_ms} ms, p95 {latency.p95_ms} ms, {errors} errors")
    return results


def format_report_latencies(rows: Sequence[ReportLatency]) -> str:
    head = f"{'analytics report':<24} {'calls':>6} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}  met"
    verdicts = {
        True: f"yes (p95 ≤ {TARGET_MS:.0f})",
        False: f"NO (p95 > {TARGET_MS:.0f})",
        None: "",
    }
    lines = [head, "-" * len(head)]
    for r in rows:
        p50 = "-" if r.p50_ms is None else f"{r.p50_ms:.1f}"
        p95 = "-" if r.p95_ms is None else f"{r.p95_ms:.1f}"
        lines.append(
            f"{r.report:<24} {r.calls:>6} {p50:>8} {p95:>8} {r.errors:>6}  {verdicts[r.met]}"
        )
    return "\n".join(lines)
