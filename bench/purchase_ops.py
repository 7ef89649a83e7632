"""What one purchase costs the database, quickly and without `make bench`: a fresh stack,
the benchmark's 20 active campaigns, a few members enrolled through the API, then
purchases at a low rate (the bench's orders: 1-3 lines, 30 % naming the member by phone).
It counts the database operations (`serverStatus` opcounters, less the idle rate) and
the documents added to each collection, from before the first purchase until the
platform is quiet again, so the work the purchases' events cause later is counted too.

    .venv/bin/python -m bench.purchase_ops [purchases=50] [per_second=5]
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from bench.campaigns import activate_campaigns
from bench.config import stack_env
from bench.dataset.population import phone_of
from bench.scenarios import Audience, an_order
from libs.mongo import MongoClient, make_client
from libs.stack.platform import Stack

DATABASES = ("loyalty_member", "loyalty_points", "loyalty_campaign", "loyalty_gateway")
IDLE_SECONDS = 8.0
MEMBERS = 20


async def opcounters(client: MongoClient) -> Counter[str]:
    status = await client.admin.command("serverStatus")
    return Counter({k: int(v) for k, v in status["opcounters"].items()})


async def documents(client: MongoClient) -> Counter[str]:
    counts: Counter[str] = Counter()
    for name in DATABASES:
        db = client[name]
        for collection in await db.list_collection_names():
            counts[f"{name}.{collection}"] = await db[collection].estimated_document_count()
    return counts


async def idle_rate(client: MongoClient, seconds: float) -> float:
    before = sum((await opcounters(client)).values())
    await asyncio.sleep(seconds)
    return (sum((await opcounters(client)).values()) - before) / seconds


async def quiet(client: MongoClient, idle: float, limit: float = 180.0) -> None:
    """Until two seconds pass with no more operations than idle (plus a little)."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        before = sum((await opcounters(client)).values())
        await asyncio.sleep(2.0)
        if sum((await opcounters(client)).values()) - before <= 2 * (idle * 2.0) + 4:
            return


async def enrol(http: httpx.AsyncClient, pos: dict[str, str], count: int) -> list[str]:
    ids = []
    for i in range(count):
        body = {"store_id": "S001", "identities": [{"type": "phone", "value": phone_of(i)}]}
        created = await http.post("/v1/members", json=body, headers=pos)
        created.raise_for_status()
        ids.append(str(created.json()["member_id"]))
    return ids


async def measure(stack: Stack, purchases: int, per_second: float) -> dict[str, Any]:
    creds = stack.credentials["tenants"]["demo"]
    pos = {"Authorization": f"Bearer {creds['pos']}"}
    client = make_client(stack.urls["mongo"], app_name="purchase-ops")
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as http:
        await activate_campaigns(http, creds["operator"], 20)
        members = await enrol(http, pos, MEMBERS)
        audience = Audience(members, [], creds["pos"], f"ops{os.getpid()}")
        idle = await idle_rate(client, IDLE_SECONDS)
        await quiet(client, idle)
        ops_before, docs_before = await opcounters(client), await documents(client)
        started = time.monotonic()
        rng, pending, failed = random.Random(7), 0, 0
        for i in range(purchases):
            body = an_order(audience, i % MEMBERS, rng, f"OPS-{audience.run_id}-{i}")
            answer = await http.post("/v1/orders", json=body, headers=pos)
            failed += not answer.is_success
            pending += answer.is_success and bool(answer.json().get("bonus_pending"))
            await asyncio.sleep(max(0.0, started + (i + 1) / per_second - time.monotonic()))
        await quiet(client, idle)
        elapsed = time.monotonic() - started
        ops_after, docs_after = await opcounters(client), await documents(client)
    await client.close()
    ops = ops_after - ops_before
    added = docs_after - docs_before
    return {
        "purchases": purchases,
        "failed": failed,
        "bonus_pending": pending,
        "ops_per_purchase": (sum(ops.values()) - idle * elapsed) / purchases,
        "ops_by_kind": {k: round(v / purchases, 2) for k, v in sorted(ops.items())},
        "documents_per_purchase": {k: round(v / purchases, 2) for k, v in sorted(added.items())},
        "documents_added_per_purchase": sum(added.values()) / purchases,
    }


def main() -> None:
    purchases = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    per_second = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
    with tempfile.TemporaryDirectory(prefix="purchase-ops-") as root:
        env = stack_env(os.environ)
        with (
            (Path(root) / "stack.log").open("w", encoding="utf-8") as log,
            Stack(Path(root), free_ports=True, env=env, log_sink=log) as stack,
        ):
            found = asyncio.run(measure(stack, purchases, per_second))
    for key, value in found.items():
        print(f"{key}: {value}")  # noqa: T201


if __name__ == "__main__":
    main()
