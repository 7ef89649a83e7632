"""The platform's scenarios, in order, with what each needs around it: the half-load
latency check and the database writes per purchase after the purchases, the expiry job
and segment refreshes during the mixed day."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import bson
import httpx

from bench.baselines import DirectPurchase
from bench.dataset.loader import MEMBER_DB, POINTS_DB
from bench.jobs import SegmentRefresher
from bench.lean_http import LeanClient
from bench.measure import Measured, run_phase
from bench.scenarios import Audience, PlatformCalls
from bench.stats import Summary

if TYPE_CHECKING:
    from bench.runner import Run

DATABASES = (MEMBER_DB, POINTS_DB, "loyalty_campaign", "loyalty_gateway", "loyalty_analytics")
# purchase p99 at half its sustained rate, at most this many times the direct one's
HALF_LOAD_P99_TARGET = 2.0


async def platform(run: Run, audience: Audience, operator_key: str) -> None:
    http = LeanClient(run.stack.gateway_url, {"Authorization": f"Bearer {audience.pos_key}"})
    calls = PlatformCalls(http, audience)
    purchases = await run.measure("1 purchase", calls.purchase, 20, platform=True)
    run.extra["bonus_pending_while_stepping"] = calls.bonus_pending
    await _half_load(run, purchases, calls)
    await run.measure("2 balance read", calls.balance, 50, platform=True)
    await run.measure("3 redemption holds", calls.contended_hold, 20, platform=True)
    await _mixed_day(run, calls, operator_key)
    await http.aclose()


async def collection_counts(run: Run) -> dict[str, int]:
    counts = {}
    for name in DATABASES:
        db = run.client[name]
        for collection in await db.list_collection_names():
            counts[f"{name}.{collection}"] = await db[collection].estimated_document_count()
    return counts


async def _half_load(run: Run, purchases: Measured, calls: PlatformCalls) -> None:
    """p99 of purchases at half their sustained rate, and of the direct transaction at that
    same rate; and what one purchase writes, once every event it caused has been handled:
    the database's write operations, and the documents it adds to each collection."""
    best = purchases.best
    if best is None:
        return
    rate, seconds = best.offered / 2, run.config.plan.step_seconds
    await run.quiesce()
    before = await collection_counts(run)
    pending_before = calls.bonus_pending
    await run.backlog.settle_idle()
    platform_p, growth = await run_phase(
        calls.purchase, rate, seconds, run.counters, run.idle, backlog=run.backlog
    )
    run.extra["writes_per_purchase"] = round(growth.get("mongo writes", 0.0), 2)
    run.extra["bonus_pending_at_half_load"] = calls.bonus_pending - pending_before
    await run.quiesce()
    after = await collection_counts(run)
    done = platform_p.requests - platform_p.errors
    grown = {
        name: round((count - before.get(name, 0)) / done, 2)
        for name, count in sorted(after.items())
        if done and count != before.get(name, 0)
    }
    run.extra["documents_per_purchase"] = grown
    run.extra["document_bytes"] = {name: await _average_bytes(run, name) for name in grown}
    direct: DirectPurchase = run.extra.pop("direct")
    storage, _ = await run_phase(direct.call, rate, seconds, run.counters, run.idle)
    run.extra["half_load"] = {"rate": rate, "platform": platform_p, "direct": storage}


async def _average_bytes(run: Run, collection: str, sample: int = 50) -> float:
    """The average BSON size of a collection's newest documents."""
    database, _, name = collection.partition(".")
    cursor = run.client[database][name].find({}).sort("_id", -1).limit(sample)
    sizes = [len(bson.encode(doc)) async for doc in cursor]
    return round(sum(sizes) / len(sizes), 1) if sizes else 0.0


async def _lots_due(run: Run) -> int:
    due = {"lots.expires_at": {"$lte": datetime.now(UTC)}}
    return await run.client[POINTS_DB]["wallets"].count_documents(due)


def _start_expiry_job(run: Run) -> None:
    """Restart the points service with its lot sweep every 2 s, so the expiry job runs
    through the mixed day."""
    points = run.stack.apps["points"]
    assert points.env is not None
    points.env["LOT_SWEEP_SECONDS"] = "2"
    run.stack.restart("points")


async def _mixed_day(run: Run, calls: PlatformCalls, operator_key: str) -> None:
    due_before = await _lots_due(run)
    _start_expiry_job(run)
    headers = {"Authorization": f"Bearer {operator_key}"}
    async with httpx.AsyncClient(base_url=run.stack.gateway_url, headers=headers) as admin:
        refresher = SegmentRefresher(admin)
        await refresher.create()
        stop = asyncio.Event()
        refreshing = asyncio.create_task(refresher.run(stop))
        try:
            await run.measure("4 mixed day", calls.mixed, 30, platform=True)
        finally:
            stop.set()
            await refreshing
    run.extra["mixed_day_jobs"] = {
        "expiry": {"wallets_due_before": due_before, "after": await _lots_due(run)},
        "segment_refresh": refresher.as_dict(),
    }


def half_load_dict(extra: Mapping[str, Any]) -> dict[str, Any] | None:
    half = extra.get("half_load")
    if half is None:
        return None
    platform_p: Summary = half["platform"]
    direct: Summary = half["direct"]
    ratio = platform_p.p99 / direct.p99 if direct.p99 > 0 else None
    return {
        "rate_per_s": round(half["rate"], 1),
        "platform": platform_p.as_dict(),
        "direct": direct.as_dict(),
        "p99_ratio": None if ratio is None else round(ratio, 2),
        "target_max_ratio": HALF_LOAD_P99_TARGET,
        "met": None if ratio is None else ratio <= HALF_LOAD_P99_TARGET,
    }
