"""`python -m bench` (`make bench`): start the embedded stack, load the demo tenant at
scale, measure the baselines and the scenarios, print the table, write JSON and a chart.

BENCH_MEMBERS (default 100000) sets the tenant's size, BENCH_QUICK=1 a short run
(2,000 members, short steps) for development, BENCH_OUT the output folder (var/bench),
BENCH_KEEP_DATA=1 keeps the stack's data there afterwards. The analytics read model is
loaded with the same members and orders, and each analytics report's p50/p95 through the
gateway is printed under the table (target: 200 ms). BENCH_REPORTS_ONLY=1 stops after the
reports: the load and the reports' table, without the baselines and scenarios.
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
from typing import Any

import uvloop

from bench.analytics_reports import TARGET_MS, format_report_latencies
from bench.config import ACTIVE_CAMPAIGNS, ENGINE_CAMPAIGNS, Config, stack_env
from bench.dataset.loader import Loaded
from bench.platform_run import half_load_dict
from bench.progress import say
from bench.report import Row, format_resources, format_table, write_chart, write_json
from bench.runner import Run, run
from bench.targets import (
    WRITES_PER_PURCHASE_TARGET,
    baselines,
    busy,
    generator_cpu_share,
    rows,
)
from libs.logging import configure_logging
from libs.stack.platform import Stack


def machine(load_at_start: tuple[float, float, float]) -> dict[str, Any]:
    cpus = os.cpu_count() or 1
    return {
        "cpus": cpus,
        "load_average_at_start": load_at_start,
        "busy_at_start": busy(load_at_start[0], cpus),
        "load_average_at_end": os.getloadavg(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def document(
    config: Config,
    done: Run,
    *,
    loaded: Loaded,
    engine: float,
    table: list[Row],
    load_at_start: tuple[float, float, float],
) -> dict[str, Any]:
    _, drift = baselines(done.results)
    writes = done.extra.get("writes_per_purchase")
    return {
        "stamp": config.stamp,
        "members": config.members,
        "quick": config.quick,
        "active_campaigns": ACTIVE_CAMPAIGNS,
        "machine": machine(load_at_start),
        "dataset": {
            "past_orders": loaded.orders,
            "load_seconds": round(loaded.seconds, 1),
            "documents": loaded.documents,
            "bson_bytes": loaded.bson_bytes,
        },
        "engine": {"campaigns": ENGINE_CAMPAIGNS, "orders_per_s": round(engine)},
        "table": [{**vars(r), "ratio": r.ratio, "met": r.met} for r in table],
        "half_load": half_load_dict(done.extra),
        "writes_per_purchase": {
            "measured": writes,
            "target_max": WRITES_PER_PURCHASE_TARGET,
            "met": None if writes is None else writes <= WRITES_PER_PURCHASE_TARGET,
        },
        "baseline_drift": {name: d.as_dict() for name, d in drift.items()},
        "wrk": done.extra.get("wrk"),
        "generator_cpu_share": generator_cpu_share(done.results),
        "mixed_day_jobs": done.extra.get("mixed_day_jobs"),
        "documents_per_purchase": done.extra.get("documents_per_purchase"),
        "document_bytes": done.extra.get("document_bytes"),
        "bonus_pending": {
            "while_stepping": done.extra.get("bonus_pending_while_stepping"),
            "at_half_load": done.extra.get("bonus_pending_at_half_load"),
        },
        "analytics_reports": {
            "target_p95_ms": TARGET_MS,
            "reports": [r.as_dict() for r in done.extra.get("analytics_reports", [])],
        },
        "scenarios": {name: m.as_dict() for name, m in done.results.items()},
    }


def checks(doc: dict[str, Any]) -> list[str]:
    """The lines under the table: the targets that are not ratios, and what could make the
    ratios untrustworthy (a busy machine, drifting baselines, a generator at its bound)."""
    lines = []
    host = doc["machine"]
    one, five, fifteen = host["load_average_at_start"]
    verdict = "BUSY: the ratios are not trustworthy" if host["busy_at_start"] else "quiet"
    lines.append(
        f"machine: {host['cpus']} CPUs, load average at start {one:.2f} {five:.2f} "
        f"{fifteen:.2f} ({verdict})"
    )
    if half := doc["half_load"]:
        lines.append(
            f"purchase p99 at half load ({half['rate_per_s']}/s): platform "
            f"{half['platform']['p99_ms']} ms, direct {half['direct']['p99_ms']} ms, ratio "
            f"{half['p99_ratio']} (target ≤ {half['target_max_ratio']:g}): "
            f"{_met(half['met'])}"
        )
    writes = doc["writes_per_purchase"]
    lines.append(
        f"database writes per purchase, its events' work included: {writes['measured']} "
        f"(target ≤ {writes['target_max']:g}): {_met(writes['met'])}"
    )
    for name, d in doc["baseline_drift"].items():
        flag = "FLAGGED: differ by more than 15 %" if d["flagged"] else "steady"
        lines.append(
            f"baseline {name}: {d['before_per_s']}/s before, {d['after_per_s']}/s after "
            f"the scenarios ({flag})"
        )
    wrk = doc["wrk"] or {}
    if "requests_per_s" in wrk:
        lines.append(
            f"bare FastAPI under wrk ({wrk['connections']} connections, closed loop): "
            f"{wrk['requests_per_s']:.0f}/s, p99 {wrk.get('p99_ms', '-')} ms"
        )
    else:
        lines.append(f"wrk cross-check: {wrk.get('skipped', 'not run')}")
    shares = ", ".join(f"{n} {v:.0%}" for n, v in doc["generator_cpu_share"].items())
    lines.append(f"load generator CPU at each best step (share of one core): {shares}")
    return lines


def _met(value: bool | None) -> str:
    return {True: "met", False: "NOT MET", None: "not measured"}[value]


def main() -> int:
    configure_logging("bench", "WARNING", "console")
    load_at_start = os.getloadavg()
    config = Config.from_env(os.environ)
    config.out_dir.mkdir(parents=True, exist_ok=True)
    log_path = config.out_dir / f"{config.stamp}.log"
    say(f"benchmark {config.stamp}: {config.members} members; stack log in {log_path}")
    try:
        with (
            log_path.open("w", encoding="utf-8") as log,
            Stack(
                config.var_dir, free_ports=True, env=stack_env(os.environ), log_sink=log
            ) as stack,
        ):
            done, loaded, engine = uvloop.run(run(config, stack, log))
    finally:
        if not os.environ.get("BENCH_KEEP_DATA"):
            # the loaded tenant takes about a gigabyte per 100,000 members
            shutil.rmtree(config.var_dir, ignore_errors=True)
    if config.reports_only:
        return reports_only(config, done, loaded, load_at_start)
    table = rows(done.results, engine)
    doc = document(
        config, done, loaded=loaded, engine=engine, table=table, load_at_start=load_at_start
    )
    json_path = config.out_dir / f"{config.stamp}.json"
    write_json(json_path, doc)
    write_chart(config.out_dir / f"{config.stamp}.png", table, f"make bench {config.stamp}")
    sys.stdout.write("\n" + format_table(table) + "\n\n" + "\n".join(checks(doc)) + "\n")
    if reports := done.extra.get("analytics_reports"):
        sys.stdout.write("\n" + format_report_latencies(reports) + "\n")
    resources = {name: m.best_per_request for name, m in done.results.items()}
    sys.stdout.write("\n" + format_resources(resources) + "\n")
    if written := doc["documents_per_purchase"]:
        lines = [f"  {count:6.2f}  {name}" for name, count in written.items()]
        sys.stdout.write(
            "\ndocuments one purchase adds, by collection:\n" + "\n".join(lines) + "\n"
        )
    sys.stdout.write(f"\nresults: {json_path} (and .png)\n")
    return 0


def reports_only(
    config: Config, done: Run, loaded: Loaded, load_at_start: tuple[float, float, float]
) -> int:
    """The JSON and table of a run that stopped after the analytics reports."""
    reports = done.extra.get("analytics_reports", [])
    host = machine(load_at_start)
    doc = {
        "stamp": config.stamp,
        "members": config.members,
        "reports_only": True,
        "machine": host,
        "dataset": {"past_orders": loaded.orders, "load_seconds": round(loaded.seconds, 1)},
        "analytics_reports": {
            "target_p95_ms": TARGET_MS,
            "reports": [r.as_dict() for r in reports],
        },
    }
    json_path = config.out_dir / f"{config.stamp}.json"
    write_json(json_path, doc)
    sys.stdout.write(
        f"\n{format_report_latencies(reports)}\n\nmachine: {host['cpus']} CPUs, load average "
        f"at start {host['load_average_at_start'][0]:.2f}"
        f"{' (BUSY)' if host['busy_at_start'] else ' (quiet)'}\nresults: {json_path}\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
