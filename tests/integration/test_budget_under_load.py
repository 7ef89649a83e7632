"""A campaign's budget under a burst of concurrent orders, through the real points and
campaign services: it grants exactly what it has, never more, whether a bonus was granted
at the till or settled later from points.earned."""

from __future__ import annotations

import asyncio

import nats

from libs.nats import STREAM_NAME
from loyalty.points.v1 import points_pb2 as ppb
from tests.integration.bonus_support import (
    Arena,
    active_campaign,
    an_order,
    bonus_entries,
    handled,
    results_of,
    settle_from_now,
)
from tests.support.polling import eventually

ORDERS = 200
BONUS = 10
BUDGET = 50 * BONUS


async def all_earned_events_handled(urls: dict[str, str], tenant: str, count: int) -> None:
    """Wait until the tenant's `count` points.earned events are in the stream and the
    purchase-bonus consumer has handled them, so no bonus is still to be settled."""
    subject = f"loyalty.{tenant}.points.earned"
    client = await nats.connect(urls["nats"])
    try:
        js = client.jetstream()

        async def published() -> bool:
            info = await js.stream_info(STREAM_NAME, subjects_filter=subject)
            return (info.state.subjects or {}).get(subject, 0) >= count

        await eventually(published, within=30)
        last = (await js.stream_info(STREAM_NAME)).state.last_seq
    finally:
        await client.close()
    await handled(urls, last)


async def test_200_concurrent_qualifying_orders_against_a_budget_for_50_grant_exactly_50(
    mongo_url: str, nats_url: str, redis_url: str
) -> None:
    urls = {"mongo": mongo_url, "nats": nats_url, "redis": redis_url}
    arena = Arena(urls)
    await settle_from_now(urls)
    async with arena.points(timeout_ms=2000) as points, arena.campaign() as campaigns:
        campaign_id, _ = await active_campaign(campaigns, arena.tenant, BONUS, budget=BUDGET)
        orders = [an_order(arena.tenant, f"m{i}") for i in range(ORDERS)]

        answers = await asyncio.gather(*(points.AccrueOrder(order) for order in orders))

        assert {a.order_id for a in answers} == {o.order_id for o in orders}

        async def bonuses() -> list[int]:
            ledgers = await asyncio.gather(
                *(bonus_entries(points, arena.tenant, o.member.member_id) for o in orders)
            )
            return [entry.points for ledger in ledgers for entry in ledger]

        async def all_settled() -> bool:
            results = await results_of(campaigns, arena.tenant, campaign_id)
            return results.points_reserved == 0 and sum(await bonuses()) == results.points_granted

        await all_earned_events_handled(urls, arena.tenant, ORDERS)
        await eventually(all_settled, within=60)
        granted = await bonuses()
        results = await results_of(campaigns, arena.tenant, campaign_id)
        assert (len(granted), sum(granted)) == (50, BUDGET)
        assert (results.points_granted, results.budget_left) == (BUDGET, 0)
        drift = await points.ReconcilePoints(ppb.ReconcilePointsRequest(tenant_id=arena.tenant))
        assert list(drift.drifting) == []
