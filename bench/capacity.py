"""The capacity model of docs/scaling.md, from a `make bench` result.

`python -m bench.capacity var/bench/<time>.json` prints the worksheet in Markdown: pods per
Deployment and database capacity for 1, 10 and 100 million members and 100, 1,000 and
10,000 purchases per second, with the inputs it took from the run.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SERVICES = ("gateway", "member", "points", "campaign", "analytics")
TIMES = "\u00d7"  # the multiplication sign, in the worksheet's arithmetic
POD_CPU = 0.5  # the manifests' CPU limit per pod (500m)
HPA_TARGET = 0.7  # the HPA's CPU utilisation target
SPARE_PODS = 1  # one pod may be down for a disruption (PDB maxUnavailable: 1)
DB_UTILISATION = 0.5  # a shard runs at half its rate: room for a failover and the jobs
READS_PER_PURCHASE = 2  # assumed: a balance read at the till and one in the app
PURCHASE_RATES = (100, 1_000, 10_000)
# Assumed for storage: purchases a member makes a year, and years of history kept.
PURCHASES_PER_MEMBER_YEAR = 6
YEARS_KEPT = 3
SECONDS_PER_YEAR = 365 * 24 * 3600
MEMBER_COUNTS = (1_000_000, 10_000_000, 100_000_000)


@dataclass(frozen=True)
class Inputs:
    purchase_cpu: Mapping[str, float]  # CPU seconds per purchase, by process
    read_cpu: Mapping[str, float]  # CPU seconds per balance read, by process
    purchase_db_ops: float  # database operations per purchase (its events' work included)
    read_db_ops: float
    shard_ops_per_s: float  # operations/s one database node sustained (the direct baseline)
    bytes_per_member: float  # stored BSON of a member and the loaded history, per member
    kept_bytes_per_purchase: float  # BSON one purchase adds for good (ledger, orders, ...)
    window_bytes_per_purchase: float  # ... and for a while (outbox 7 days, inbox 30 days)
    hot_bytes_per_member: float  # what every purchase reads: member, key, identities, wallet

    @classmethod
    def from_result(cls, result: Mapping[str, Any]) -> Inputs:
        scenarios = result["scenarios"]
        purchase = scenarios["1 purchase"]["per_request"]
        read = scenarios["2 balance read"]["per_request"]
        direct = scenarios["direct PyMongo tx"]
        dataset = result["dataset"]
        members = result["members"]
        sizes = average_sizes(dataset["documents"], dataset["bson_bytes"])
        sizes |= {n: b for n, b in (result.get("document_bytes") or {}).items() if b}
        written = result.get("documents_per_purchase") or {}
        kept = {n: c for n, c in written.items() if _window(n) is None}
        return cls(
            purchase_cpu={s: purchase.get(f"cpu:{s}", 0.0) for s in SERVICES},
            read_cpu={s: read.get(f"cpu:{s}", 0.0) for s in SERVICES},
            purchase_db_ops=purchase.get("mongo ops", 0.0),
            read_db_ops=read.get("mongo ops", 0.0),
            shard_ops_per_s=direct["best"]["throughput_per_s"]
            * direct["per_request"].get("mongo ops", 0.0),
            bytes_per_member=sum(dataset["bson_bytes"].values()) / members,
            kept_bytes_per_purchase=sum(c * sizes.get(n, DEFAULT_BYTES) for n, c in kept.items()),
            window_bytes_per_purchase=sum(
                c * sizes.get(n, DEFAULT_BYTES) * (_window(n) or 0) for n, c in written.items()
            ),
            hot_bytes_per_member=sum(dataset["bson_bytes"].get(n, 0) for n in HOT_COLLECTIONS)
            / members,
        )


# Rows kept only for a while, and for how long (in seconds): published outbox rows (the
# TTL in libs/outbox.py) and processed event ids (libs/inbox.py, the stream's 30 days).
WINDOWS = {".outbox": 7 * 24 * 3600, ".inbox": 30 * 24 * 3600}
HOT_COLLECTIONS = (
    "loyalty_member.members",
    "loyalty_member.data_keys",
    "loyalty_member.identities",
    "loyalty_points.wallets",
)
# A collection whose documents a run did not measure is counted at this size per document:
# an assumption, stated in docs/scaling.md.
DEFAULT_BYTES = 300.0


def _window(collection: str) -> int | None:
    return next((s for suffix, s in WINDOWS.items() if collection.endswith(suffix)), None)


def average_sizes(documents: Mapping[str, int], bson_bytes: Mapping[str, int]) -> dict[str, float]:
    return {name: bson_bytes[name] / count for name, count in documents.items() if count}


def pods(per_second: Sequence[tuple[float, float]]) -> int:
    """Pods for loads of (requests/s, CPU seconds per request): the CPU they need over what
    a pod may use at the HPA's target, rounded up, plus the spare."""
    cores = sum(rate * seconds for rate, seconds in per_second)
    return math.ceil(cores / (POD_CPU * HPA_TARGET)) + SPARE_PODS


def per_pod(seconds_per_request: float) -> float:
    """Requests/s one pod sustains at its CPU limit."""
    return POD_CPU / seconds_per_request if seconds_per_request > 0 else math.inf


def shards_for_rate(ops_per_s: float, shard_ops_per_s: float) -> int:
    return max(1, math.ceil(ops_per_s / (DB_UTILISATION * shard_ops_per_s)))


def service_pods(inputs: Inputs, purchases: float) -> dict[str, int]:
    reads = READS_PER_PURCHASE * purchases
    return {
        s: pods([(purchases, inputs.purchase_cpu[s]), (reads, inputs.read_cpu[s])])
        for s in SERVICES
    }


def database_ops(inputs: Inputs, purchases: float) -> float:
    return purchases * inputs.purchase_db_ops + READS_PER_PURCHASE * purchases * inputs.read_db_ops


def stored_bytes(inputs: Inputs, members: int) -> float:
    """Members with their loaded history, plus what their purchases add over the years
    kept, plus the rows kept for a window (outbox, inbox) at the average purchase rate."""
    purchases = members * PURCHASES_PER_MEMBER_YEAR
    average_rate = purchases / SECONDS_PER_YEAR
    return (
        members * inputs.bytes_per_member
        + purchases * YEARS_KEPT * inputs.kept_bytes_per_purchase
        + average_rate * inputs.window_bytes_per_purchase
    )


def explain_pods(inputs: Inputs, service: str, purchases: int) -> str:
    """One pods cell with its arithmetic: CPU ms a second over what a pod gives, plus one."""
    reads = READS_PER_PURCHASE * purchases
    p_ms, r_ms = inputs.purchase_cpu[service] * 1000, inputs.read_cpu[service] * 1000
    need = purchases * p_ms + reads * r_ms
    budget = POD_CPU * HPA_TARGET * 1000
    count = service_pods(inputs, purchases)[service]
    return (
        f"⌈({purchases:,} {TIMES} {p_ms:.2f} + {reads:,} {TIMES} {r_ms:.2f}) ÷ {budget:.0f}⌉ + 1"
        f" = ⌈{need / budget:,.1f}⌉ + 1 = **{count:,}**"
    )


def explain_shards(inputs: Inputs, purchases: int) -> str:
    reads = READS_PER_PURCHASE * purchases
    ops = database_ops(inputs, purchases)
    per_shard = DB_UTILISATION * inputs.shard_ops_per_s
    count = shards_for_rate(ops, inputs.shard_ops_per_s)
    p_ops, r_ops = inputs.purchase_db_ops, inputs.read_db_ops
    return (
        f"({purchases:,} {TIMES} {p_ops:.1f} + {reads:,} {TIMES} {r_ops:.1f})"
        f" ÷ {per_shard:,.0f} = ⌈{ops / per_shard:,.1f}⌉ = **{count:,}**"
    )


def worksheet(inputs: Inputs) -> str:
    lines = ["| purchases/s (reads/s) | " + " | ".join(f"{s} pods" for s in SERVICES)]
    lines[0] += " | database shards for the rate |"
    lines.append("|" + "---|" * (len(SERVICES) + 2))
    for rate in PURCHASE_RATES:
        cells = [f"{rate:,} ({READS_PER_PURCHASE * rate:,})"]
        cells += [explain_pods(inputs, s, rate) for s in SERVICES]
        cells.append(explain_shards(inputs, rate))
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "| members | stored data | hot data (members, keys, identities, wallets) |"]
    lines.append("|---|---|---|")
    for members in MEMBER_COUNTS:
        stored = stored_bytes(inputs, members) / 1e9
        hot = members * inputs.hot_bytes_per_member / 1e9
        lines.append(f"| {members:,} | {stored:,.0f} GB | {hot:,.1f} GB |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        sys.stderr.write("usage: python -m bench.capacity var/bench/<time>.json\n")
        return 2
    inputs = Inputs.from_result(json.loads(Path(args[0]).read_text(encoding="utf-8")))
    sys.stdout.write(json.dumps(inputs.__dict__, indent=2, default=dict) + "\n\n")
    sys.stdout.write(worksheet(inputs) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
