"""`python -m bench` (`make bench`): start the embedded stack, load the demo tenant at
scale, measure the baselines and the scenarios, print the table, write JSON and a chart.

BENCH_MEMBERS (default 100000) sets the tenant's size, BENCH_QUICK=1 a short run
(2,000 members, short steps) for development, BENCH_OUT the output folder (var/bench),
BENCH_KEEP_DATA=1 keeps the stack's data there afterwards.
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
from typing import Any

import uvloop

from bench.config import ACTIVE_CAMPAIGNS, ENGINE_CAMPAIGNS, Config, stack_env
from bench.dataset.loader import Loaded
from bench.platform_run import half_load_dict
from bench.progress import say
from bench.report import (
    Pairing,
    Row,
    format_resources,
    format_table,
    ratio_rows,
    write_chart,
    write_json,
)
from bench.runner import Run, run
from libs.logging import configure_logging
from libs.stack.platform import Stack

ENGINE_TARGET = 5000.0
PAIRINGS = (
    Pairing("1 purchase", "direct PyMongo tx", 0.70),
    Pairing("2 balance read", "bare FastAPI", 0.40),
    Pairing("3 redemption holds", "direct PyMongo tx", None),
    Pairing("4 mixed day", "bare FastAPI", None),
    Pairing("bare FastAPI", "bare grpc.aio echo", None),
)


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def document(
    config: Config, done: Run, loaded: Loaded, engine: float, rows: list[Row]
) -> dict[str, Any]:
    return {
        "stamp": config.stamp,
        "members": config.members,
        "quick": config.quick,
        "active_campaigns": ACTIVE_CAMPAIGNS,
        "machine": machine(),
        "dataset": {
            "past_orders": loaded.orders,
            "load_seconds": round(loaded.seconds, 1),
            "documents": loaded.documents,
            "bson_bytes": loaded.bson_bytes,
        },
        "engine": {
            "campaigns": ENGINE_CAMPAIGNS,
            "orders_per_s": round(engine),
            "target": ENGINE_TARGET,
        },
        "table": [{**vars(r), "ratio": r.ratio, "met": r.met} for r in rows],
        "half_load": half_load_dict(done.extra),
        "mixed_day_jobs": done.extra.get("mixed_day_jobs"),
        "documents_per_purchase": done.extra.get("documents_per_purchase"),
        "document_bytes": done.extra.get("document_bytes"),
        "bonus_pending": {
            "while_stepping": done.extra.get("bonus_pending_while_stepping"),
            "at_half_load": done.extra.get("bonus_pending_at_half_load"),
        },
        "scenarios": {name: m.as_dict() for name, m in done.results.items()},
    }


def main() -> int:
    configure_logging("bench", "WARNING", "console")
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
    bests = {name: m.best for name, m in done.results.items()}
    rows = ratio_rows(bests, PAIRINGS)
    rows.append(
        Row(
            f"5 rules engine ({ENGINE_CAMPAIGNS})",
            engine,
            None,
            None,
            None,
            0,
            "5,000/s target",
            ENGINE_TARGET,
            1.0,
        )
    )
    doc = document(config, done, loaded, engine, rows)
    json_path = config.out_dir / f"{config.stamp}.json"
    write_json(json_path, doc)
    write_chart(config.out_dir / f"{config.stamp}.png", rows, f"make bench {config.stamp}")
    sys.stdout.write("\n" + format_table(rows) + "\n")
    resources = {name: m.best_per_request for name, m in done.results.items()}
    sys.stdout.write("\n" + format_resources(resources) + "\n")
    if half := doc["half_load"]:
        sys.stdout.write(
            f"\npurchase p99 at half load ({half['rate_per_s']}/s): platform "
            f"{half['platform']['p99_ms']} ms, direct {half['direct']['p99_ms']} ms, "
            f"ratio {half['p99_ratio']} (target ≤ 3)\n"
        )
    if written := doc["documents_per_purchase"]:
        lines = [f"  {count:6.2f}  {name}" for name, count in written.items()]
        sys.stdout.write(
            "\ndocuments one purchase adds, by collection:\n" + "\n".join(lines) + "\n"
        )
    sys.stdout.write(f"\nresults: {json_path} (and .png)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
