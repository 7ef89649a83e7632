"""What the analytics member pages cost (services/analytics/adapters/pages.py), on the
read model `bench.analytics_cost` loads (ANALYTICS_COST_DATA, the same member count;
it is loaded first if missing): reading every page of the tenant, reading one, rewriting
one, and a consumer's batch of purchases (each by another member, with its points, as
`points.earned` states them) applied and flushed in one transaction as the consumer does,
with and without the pages' (and the retention counts') writes, printing the wall time,
the database server's CPU and this process's of each, the pages' size (whole documents)
and the pages the batch wrote. The batch's
purchases stay in the database: run it on a copy of the data to keep the reports'
figures as loaded.

    ANALYTICS_COST_DATA=var/ac20000 .venv/bin/python -m bench.member_pages_cost 20000 [batches]
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from bson import encode

from bench.analytics_cost import TENANT, _cpu, load
from bench.dataset.analytics import ANALYTICS_DB
from libs.ids import new_id
from libs.logging import configure_logging
from libs.mongo import Database, MongoClient, Session, make_client, run_in_transaction
from libs.stack.servers import free_port, mongo_server
from services.analytics.adapters.pages import PAGES, page_of
from services.analytics.adapters.read_model import MEMBERS, MongoReadModel
from services.analytics.domain.facts import Event, Movement, PointsMoved, Purchased
from services.analytics.handlers.ingest import apply, members_of

BATCH = 100  # the consumer's batch


async def _timed(pid: int | None, work: Callable[[], Awaitable[Any]]) -> tuple[float, float, float]:
    """The wall time, the database server's CPU and this process's, in ms."""
    before, started, own = _cpu(pid), time.perf_counter(), time.process_time()
    await work()
    return (
        (time.perf_counter() - started) * 1000,
        (_cpu(pid) - before) * 1000,
        (time.process_time() - own) * 1000,
    )


def _purchases(member_ids: list[str], now: datetime) -> list[Event]:
    events = []
    for member_id in member_ids:
        order = new_id("ord")
        facts = (
            Purchased(TENANT, member_id, now, order, "pos", "S001", "bronze", Decimal("25.00")),
            PointsMoved(TENANT, member_id, now, Movement.ISSUED, 25, "pos", "S001"),
        )
        events.append(Event(new_id("ev"), TENANT, facts))
    return events


class _WithoutPages(MongoReadModel):
    """The read model without its member pages and retention counts."""

    async def _write_pages(self) -> None:
        self._pages.take()

    async def _write_cohorts(self) -> None:
        self._cohorts.take()


async def _batch(
    client: MongoClient, db: Database, model_of: type[MongoReadModel], events: list[Event]
) -> None:
    """As the consumer applies a batch: in one transaction."""

    async def work(session: Session) -> None:
        model = model_of(db, session)
        await model.prefetch(members_of(events))
        for event in events:
            await apply(model, event, "UTC")
        await model.flush()

    await run_in_transaction(client, work)


async def measure(url: str, pid: int | None, batches: int) -> None:
    client = make_client(url, app_name="member-pages-cost", timeout_ms=300_000)
    db = client[ANALYTICS_DB]
    pages = [doc["_id"] async for doc in db[PAGES].find({"t": TENANT}, {"_id": 1})]
    sizes = [len(encode(doc)) async for doc in db[PAGES].find({"t": TENANT})]
    members = [doc["m"] async for doc in db[MEMBERS].find({"t": TENANT}, {"m": 1})]
    one = pages[0]
    page = await db[PAGES].find_one({"_id": one}) or {}
    rows: dict[str, list[tuple[float, float, float]]] = {}

    async def every_page() -> None:
        [doc async for doc in db[PAGES].find({"t": TENANT}, {"_id": 0, "x": 1})]

    async def one_page() -> None:
        await db[PAGES].find_one({"_id": one})

    async def rewrite() -> None:
        await db[PAGES].replace_one({"_id": one}, page)

    for _ in range(5):
        for name, work in (
            ("read every page", every_page),
            ("read one page", one_page),
            ("rewrite one page", rewrite),
        ):
            rows.setdefault(name, []).append(await _timed(pid, work))
    now = datetime.now(UTC)
    written: list[int] = []
    for _ in range(batches):
        for name, model_of in (
            ("batch with pages", MongoReadModel),
            ("batch without pages", _WithoutPages),
        ):
            events = _purchases(random.sample(members, BATCH), now)
            if model_of is MongoReadModel:
                written.append(len({page_of(e.facts[0].member_id) for e in events}))
            timed = await _timed(pid, partial(_batch, client, db, model_of, events))
            rows.setdefault(name, []).append(timed)
    await client.close()
    sys.stdout.write(
        f"\n{len(members)} members, {len(pages)} pages of {statistics.median(sizes) / 1000:.0f}"
        f" KB (median; {sum(sizes) / 1e6:.1f} MB in all); a batch of {BATCH} purchases by"
        f" {BATCH} members rewrote {statistics.median(written):.0f} pages (median)\n"
    )
    sys.stdout.write(f"{'':<22} {'p50 ms':>8} {'db CPU ms':>10} {'own CPU ms':>10}\n")
    for name, runs in rows.items():
        wall, cpu, own = (statistics.median(column) for column in zip(*runs, strict=True))
        sys.stdout.write(f"{name:<22} {wall:>8.1f} {cpu:>10.1f} {own:>10.1f}\n")


async def run(members: int, batches: int, data: Path) -> None:
    marker = data / f"loaded-{members}"
    (data / "mongo").mkdir(parents=True, exist_ok=True)
    server = mongo_server(data / "mongo", free_port(), sink=None, timeout=60)
    server.start()
    try:
        if not marker.exists():
            now = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
            await load(server.url, members, now)
            (data / "now").write_text(now.isoformat())
            marker.touch()
        await measure(server.url, server.pid, batches)
    finally:
        server.stop()


def main(argv: list[str]) -> None:
    members = int(argv[0]) if argv else 2000
    batches = int(argv[1]) if len(argv) > 1 else 5
    configure_logging("analytics", "WARNING", "json")
    data = os.environ.get("ANALYTICS_COST_DATA", f"var/member-pages-{members}")
    asyncio.run(run(members, batches, Path(data)))


if __name__ == "__main__":
    main(sys.argv[1:])
