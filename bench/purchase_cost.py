"""What one purchase costs the database, all services and background work included, on a
fresh stack: a few minutes instead of `make bench`'s half hour, for comparing a change.

    .venv/bin/python -m bench.purchase_cost [purchases] [rate/s]     # 50 at 5/s

The stack (the launcher's, with the bench's settings and 20 active purchase campaigns of
`bench/campaigns.py`) gets `purchases` members, each with one purchase already; once the
platform is quiet the run sends each member one more purchase at `rate`, waits until the
platform is quiet again (every event handled) and prints, per purchase: the database's
operations (`serverStatus` opcounters, by kind; the idle platform's rate taken off) and
the documents added to each collection. `CAMPAIGN_TIMEOUT_MS=1000` and
`GRPC_TIMEOUT_SECONDS=10` in the environment keep a loaded machine from answering every
purchase with its bonus pending (which pays each bonus later with its own grant, and
measures the load instead of the design) or with 504.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx

from bench.campaigns import activate_campaigns
from bench.config import ACTIVE_CAMPAIGNS, stack_env
from bench.progress import say
from libs.mongo import MongoClient, make_client
from libs.stack.platform import Stack

DATABASES = (
    "loyalty_member",
    "loyalty_points",
    "loyalty_campaign",
    "loyalty_gateway",
    "loyalty_analytics",
)
QUIET_PROBE_SECONDS = 3.0
IDLE_SECONDS = 15.0


async def opcounters(client: MongoClient) -> dict[str, int]:
    status = await client.admin.command("serverStatus")
    return {kind: int(n) for kind, n in status["opcounters"].items()}


async def top(client: MongoClient) -> dict[str, tuple[int, int]]:
    """Per namespace and section (`ns/section`): commands and microseconds (`top`)."""
    totals = (await client.admin.command("top"))["totals"]
    return {
        f"{ns}/{section}": (int(value["count"]), int(value["time"]))
        for ns, sections in totals.items()
        if isinstance(sections, dict)
        for section, value in sections.items()
        if section not in ("total", "readLock", "writeLock")
    }


def top_per_purchase(
    before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]], purchases: int
) -> dict[str, dict[str, float]]:
    """The namespaces' commands and milliseconds per purchase, costliest first."""
    rows = {}
    for key, (count, micros) in after.items():
        count_before, micros_before = before.get(key, (0, 0))
        if count > count_before:
            rows[key] = {
                "commands": round((count - count_before) / purchases, 2),
                "ms": round((micros - micros_before) / 1000 / purchases, 2),
            }
    return dict(sorted(rows.items(), key=lambda row: -row[1]["ms"]))


async def documents(client: MongoClient) -> dict[str, int]:
    counts = {}
    for name in DATABASES:
        db = client[name]
        for collection in await db.list_collection_names():
            counts[f"{name}.{collection}"] = await db[collection].count_documents({})
    return counts


async def quiet(client: MongoClient, idle_per_s: float, limit: float = 300.0) -> None:
    """Until the database works about as little as when idle."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        before = sum((await opcounters(client)).values())
        await asyncio.sleep(QUIET_PROBE_SECONDS)
        rate = (sum((await opcounters(client)).values()) - before) / QUIET_PROBE_SECONDS
        if rate <= 2 * idle_per_s + 3:
            return
    say("the platform was still busy; going on")


def an_order(member_id: str) -> dict[str, Any]:
    return {
        "order_id": f"POS-S001-{uuid4().hex}",
        "member_id": member_id,
        "channel": "pos",
        "store_id": "S001",
        "occurred_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "currency": "CNY",
        "total": "398.00",
        "lines": [
            {"sku": "SHOE-1", "category": "shoes", "quantity": 1, "unit_price": "299.00"},
            {"sku": "SOCK-2", "category": "accessories", "quantity": 1, "unit_price": "99.00"},
        ],
    }


async def purchase(http: httpx.AsyncClient, pos: Mapping[str, str], member_id: str) -> str:
    """`credited`, `pending` (answered with its bonus pending) or `failed`."""
    answer = await http.post("/v1/orders", json=an_order(member_id), headers=pos)
    if answer.status_code != 201:
        say(f"a purchase answered {answer.status_code}: {answer.text[:200]}")
        return "failed"
    return "pending" if answer.json()["bonus_pending"] else "credited"


async def balance_reads(
    *,
    http: httpx.AsyncClient,
    pos: Mapping[str, str],
    members: list[str],
    client: MongoClient,
    idle: float,
    rounds: int = 10,
) -> dict[str, float]:
    """Database operations and the mean time of a balance read, one after another."""
    before = sum((await opcounters(client)).values())
    started = time.monotonic()
    for _ in range(rounds):
        for member_id in members:
            answer = await http.get(f"/v1/members/{member_id}/points", headers=pos)
            answer.raise_for_status()
    seconds = time.monotonic() - started
    ops = sum((await opcounters(client)).values()) - before - idle * seconds
    count = rounds * len(members)
    return {
        "balance_reads": count,
        "ops_per_balance_read": round(ops / count, 2),
        "ms_per_balance_read": round(1000 * seconds / count, 2),
    }


async def measure(stack: Stack, purchases: int, rate: float) -> dict[str, Any]:
    client = make_client(stack.urls["mongo"], app_name="purchase-cost", timeout_ms=30_000)
    credentials = stack.credentials["tenants"]["demo"]
    pos = {"Authorization": f"Bearer {credentials['pos']}"}
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as http:
        await activate_campaigns(http, credentials["operator"], ACTIVE_CAMPAIGNS)
        members = []
        for n in range(purchases):
            phone = f"+86137{uuid4().int % 10**8:08d}"
            body = {"store_id": "S001", "identities": [{"type": "phone", "value": phone}]}
            enrolled = await http.post("/v1/members", json=body, headers=pos)
            enrolled.raise_for_status()
            members.append(enrolled.json()["member_id"])
            await purchase(http, pos, members[-1])
            if n % 10 == 9:
                say(f"  {n + 1}/{purchases} members with a purchase")
        await quiet(client, 20.0)
        idle_from = await opcounters(client)
        await asyncio.sleep(IDLE_SECONDS)
        idle_to = await opcounters(client)
        idle_rates = {k: (idle_to[k] - idle_from[k]) / IDLE_SECONDS for k in idle_to}
        idle = sum(idle_rates.values())
        ops_before, docs_before = await opcounters(client), await documents(client)
        top_before = await top(client)
        started = time.monotonic()
        tasks = []
        for i, member_id in enumerate(members):
            await asyncio.sleep(max(0.0, started + i / rate - time.monotonic()))
            tasks.append(asyncio.create_task(purchase(http, pos, member_id)))
        outcomes = Counter(await asyncio.gather(*tasks))
        await quiet(client, idle)
        seconds = time.monotonic() - started
        ops_after, docs_after = await opcounters(client), await documents(client)
        top_after = await top(client)
        reads = await balance_reads(http=http, pos=pos, members=members, client=client, idle=idle)
    await client.close()
    ops = {
        kind: (ops_after[kind] - ops_before[kind] - idle_rates[kind] * seconds) / purchases
        for kind in ops_after
    }
    added = {
        name: (docs_after[name] - docs_before.get(name, 0)) / purchases
        for name in docs_after
        if docs_after[name] != docs_before.get(name, 0)
    }
    return {
        "purchases": purchases,
        "rate": rate,
        "idle_ops_per_s": round(idle, 1),
        "outcomes": dict(outcomes),
        "ops_per_purchase": {k: round(v, 2) for k, v in ops.items()},
        "ops_per_purchase_total": round(sum(ops.values()), 1),
        "writes_per_purchase": round(sum(ops[k] for k in ("insert", "update", "delete")), 1),
        "seconds": round(seconds, 1),
        "documents_added_per_purchase": {k: round(v, 2) for k, v in sorted(added.items())},
        "documents_added_per_purchase_total": round(sum(added.values()), 2),
        "namespaces_per_purchase": top_per_purchase(top_before, top_after, purchases),
        **reads,
    }


def main() -> None:
    purchases = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    rate = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
    with tempfile.TemporaryDirectory(prefix="purchase-cost-") as root:
        log_path = Path(root) / "stack.log"
        with (
            log_path.open("w", encoding="utf-8") as log,
            Stack(Path(root), free_ports=True, env=stack_env(os.environ), log_sink=log) as stack,
        ):
            sys.stdout.write(
                json.dumps(asyncio.run(measure(stack, purchases, rate)), indent=2) + "\n"
            )


if __name__ == "__main__":
    main()
