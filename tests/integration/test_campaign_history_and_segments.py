"""The campaign service's history over real servers: orders credited by the points service
reach its purchases and member facts through points.earned (a return lowers the spend, a
redelivery changes nothing), and a segment's materialised membership is its preview."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

import nats

from libs.nats import STREAM_NAME
from libs.timestamps import timestamp
from loyalty.campaign.v1 import campaign_audience_pb2 as apb
from loyalty.common.v1.common_pb2 import EventMeta
from loyalty.member.v1 import events_pb2 as member_events
from loyalty.points.v1 import points_pb2 as ppb
from services.campaign.campaigns.adapters.history import FACTS, PURCHASES
from services.campaign.campaigns.adapters.segments import MEMBERS
from services.campaign.campaigns.entrypoints.consumers.history import MEMBER_EVENTS, POINTS_EVENTS
from tests.integration.bonus_support import (
    ORDERED_AT,
    Arena,
    last_earned,
    publish,
)
from tests.integration.plumbing import consume_from_now
from tests.support.polling import eventually


def order(tenant: str, member_id: str, total: str, days_ago: int = 0) -> ppb.AccrueOrderRequest:
    return ppb.AccrueOrderRequest(
        tenant_id=tenant,
        member=ppb.MemberContext(member_id=member_id, tier_multiplier="1", tier_code="silver"),
        order_id=f"POS-{uuid4().hex}",
        channel="pos",
        store_id="S001",
        occurred_at=timestamp(ORDERED_AT - timedelta(days=days_ago)),
        currency="CNY",
        total=total,
        lines=[ppb.OrderLine(sku="BAG-1", category="bags", quantity=1, unit_price=total)],
    )


async def acknowledged(nats_url: str, seq: int) -> None:
    """Wait until the history consumer of points events has handled the stream up to `seq`."""
    client = await nats.connect(nats_url)
    try:
        js = client.jetstream()

        async def acked() -> bool:
            info = await js.consumer_info(STREAM_NAME, POINTS_EVENTS.durable)
            return info.ack_floor is not None and (info.ack_floor.stream_seq or 0) >= seq

        await eventually(acked, within=20)
    finally:
        await client.close()


def enrolled(tenant: str, member_id: str, *, marketing: bool) -> bytes:
    meta = EventMeta(event_id=f"ev-{uuid4().hex}", tenant_id=tenant, type="member.enrolled")
    meta.occurred_at.FromDatetime(ORDERED_AT - timedelta(days=30))
    event = member_events.MemberEnrolled(
        meta=meta,
        member_id=member_id,
        channel="pos",
        store_id="S002",
        tier_code="member",
        consents={"marketing": marketing},
    )
    return event.SerializeToString()


async def test_credited_orders_and_returns_become_the_members_purchase_history(
    mongo_url: str, nats_url: str, redis_url: str
) -> None:
    urls = {"mongo": mongo_url, "nats": nats_url, "redis": redis_url}
    arena = Arena(urls)
    await consume_from_now(nats_url, POINTS_EVENTS, MEMBER_EVENTS)
    async with arena.points(timeout_ms=500) as points, arena.campaign():
        first = order(arena.tenant, "m1", "300.00", days_ago=10)
        await points.AccrueOrder(first)
        await points.AccrueOrder(order(arena.tenant, "m1", "100.00", days_ago=2))
        await points.AccrueOrder(order(arena.tenant, "m2", "50.00", days_ago=1))
        await points.ReturnOrder(
            ppb.ReturnOrderRequest(
                tenant_id=arena.tenant, order_id=first.order_id, return_id="R1", amount="60.00"
            )
        )
        await publish(
            urls,
            f"loyalty.{arena.tenant}.member.enrolled",
            enrolled(arena.tenant, "m1", marketing=True),
        )
        async with arena.campaign_database() as db:

            async def recorded() -> bool:
                facts = await db[FACTS].find_one({"_id": f"{arena.tenant}:m1"}) or {}
                return (
                    facts.get("orders") == 2
                    and facts.get("spend_cents") == 34000
                    and (facts.get("consents") == {"marketing": True})
                )

            await eventually(recorded, within=20)
            # The last order's points.earned once more, under a new message id.
            seq = await publish(
                urls, f"loyalty.{arena.tenant}.points.earned", await last_earned(urls, arena.tenant)
            )
            await acknowledged(nats_url, seq)
            purchases = await db[PURCHASES].find({"tenant_id": arena.tenant}).to_list()
            m1 = await db[FACTS].find_one({"_id": f"{arena.tenant}:m1"})
            m2 = await db[FACTS].find_one({"_id": f"{arena.tenant}:m2"})

    assert sorted((p["member_id"], p["total_cents"], p["returned_cents"]) for p in purchases) == [
        ("m1", 10000, 0),
        ("m1", 30000, 6000),
        ("m2", 5000, 0),
    ]
    assert m1 is not None
    assert m2 is not None
    assert (m1["channel"], m1["store_id"]) == ("pos", "S002")
    assert (m2["orders"], m2["spend_cents"]) == (1, 5000)
    assert m1["last_purchase_at"] > m1["first_purchase_at"]
    first_ones = {p["order_id"]: p["first_purchase"] for p in purchases}
    assert first_ones[first.order_id] is True
    assert sum(first_ones.values()) == 2


async def test_a_segments_materialised_membership_is_the_members_its_preview_counted(
    mongo_url: str, nats_url: str, redis_url: str
) -> None:
    urls = {"mongo": mongo_url, "nats": nats_url, "redis": redis_url}
    arena = Arena(urls)
    await consume_from_now(nats_url, POINTS_EVENTS, MEMBER_EVENTS)
    async with arena.points(timeout_ms=500) as points, arena.campaign() as campaigns:
        # m1 and m2 spend 300 over two orders within 30 days; m3 once; m4 long ago.
        for member_id, total, days_ago in [
            ("m1", "200.00", 3),
            ("m1", "100.00", 1),
            ("m2", "150.00", 20),
            ("m2", "150.00", 2),
            ("m3", "900.00", 1),
            ("m4", "500.00", 25),
            ("m4", "500.00", 29),
        ]:
            await points.AccrueOrder(order(arena.tenant, member_id, total, days_ago))
        for member_id, marketing in [("m1", True), ("m2", False), ("m3", True), ("m4", True)]:
            await publish(
                urls,
                f"loyalty.{arena.tenant}.member.enrolled",
                enrolled(arena.tenant, member_id, marketing=marketing),
            )
        rules = apb.SegmentRules(window_days=30, min_orders=2, min_spend="300.00", recency_days=7)
        consenting = apb.SegmentRules(marketing_consent=True)

        async def counted() -> bool:
            preview = await campaigns.PreviewSegment(
                apb.PreviewSegmentRequest(tenant_id=arena.tenant, rules=consenting)
            )
            async with arena.campaign_database() as db:
                orders = await db[PURCHASES].count_documents({"tenant_id": arena.tenant})
            return (preview.size, orders) == (3, 7)

        await eventually(counted, within=20)
        preview = await campaigns.PreviewSegment(
            apb.PreviewSegmentRequest(tenant_id=arena.tenant, rules=rules)
        )
        created = await campaigns.CreateSegment(
            apb.CreateSegmentRequest(tenant_id=arena.tenant, name="Regulars", rules=rules)
        )
        segment = created.segment
        async with arena.campaign_database() as db:
            held = {
                doc["member_id"]
                async for doc in db[MEMBERS].find({"segment_id": segment.segment_id})
            }
        narrowed = await campaigns.UpdateSegment(
            apb.UpdateSegmentRequest(
                tenant_id=arena.tenant,
                segment_id=segment.segment_id,
                name="Consenting regulars",
                rules=apb.SegmentRules(
                    window_days=30, min_orders=2, min_spend="300.00", marketing_consent=True
                ),
            )
        )
        async with arena.campaign_database() as db:
            narrowed_held = {
                doc["member_id"]
                async for doc in db[MEMBERS].find({"segment_id": segment.segment_id})
            }

    assert (preview.size, segment.size) == (2, 2)
    assert held == {"m1", "m2"}
    assert Decimal(segment.rules.min_spend) == Decimal("300.00")
    assert (narrowed.segment.size, narrowed_held) == (2, {"m1", "m4"})
