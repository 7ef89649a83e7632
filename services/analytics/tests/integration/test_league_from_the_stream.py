"""The campaign league table from known events through the real stream, worked out by
hand: grants and purchase bonuses (a line of `points.earned`) per campaign, members reached
once (a redelivered grant counted once, a merged member's rewards its survivor's), the cost
at the point value, the sort, and a holdout campaign against its held-out members. A
rebuild gives the same table."""

from __future__ import annotations

from typing import Any

from nats.js import JetStreamContext

from libs.holdout import held_out
from libs.mongo import Database, MongoClient
from libs.timestamps import timestamp
from loyalty.analytics.v1 import analytics_pb2, league_pb2
from loyalty.campaign.v1 import campaign_events_pb2 as campaign_pb
from loyalty.points.v1 import events_pb2 as points_pb
from loyalty.points.v1 import points_pb2
from services.analytics.adapters.repositories import MongoUnitOfWork
from services.analytics.adapters.zones import StoredTimeZones
from services.analytics.entrypoints.events import parse_logged
from services.analytics.handlers.rebuild import rebuild
from services.analytics.tests.integration.feed import Feed, balance, line, local
from services.analytics.tests.integration.test_churn_from_the_stream import (
    campaign_changed,
    granted,
)
from tests.support.polling import settled

# (campaign, trigger, reached, grants, points, cost at 0.02 a point); a grant is 50
EXPECTED = [
    # m1, m2 (redelivered: once), m3 (merged into m1: m1 once)
    ("welcome", "enrollment", 2, 3, 150, "3.00"),
    # m1's and m2's orders' bonus lines (30 each), m4's bonus granted after its order
    ("bonus", "purchase", 3, 3, 110, "2.20"),
]


async def bought_with_bonus(feed: Feed, member: str, day: str, order: str) -> None:
    kind = "points.earned"
    message = points_pb.PointsEarned(
        meta=feed.meta(kind, local(day, 10)),
        member_id=member,
        order_id=order,
        channel="pos",
        store_id="S1",
        order_occurred_at=timestamp(local(day, 10)),
        currency="CNY",
        total="100.00",
        lines=[line("A", "shoes", 1, "100.00")],
        points=130,
        breakdown=[
            points_pb2.EarningLine(source="base", points=100),
            points_pb2.EarningLine(source="campaign", points=30, campaign_id="bonus"),
        ],
        tier_code="member",
        balance=balance(130),
    )
    await feed.publish(kind, message)


async def feed_november(js: JetStreamContext, tenant: str) -> None:
    feed = Feed(js, tenant)
    await campaign_changed(feed, "welcome", "enrollment")
    await campaign_changed(feed, "bonus", "purchase")
    for member in ("m1", "m2", "m3", "m4"):
        await feed.enrolled(member, local("2026-11-01", 9), "pos", "S1")
    sent = {m: await granted(feed, m, "2026-11-01", "welcome") for m in ("m1", "m2", "m3")}
    again = sent["m2"]
    # The same grant again, past the stream's duplicate check: only the inbox stops it.
    await feed.publish("points.granted", again, msg_id=again.meta.event_id + "-again")
    await feed.merged("m1", "m3", local("2026-11-05", 10), balance(100))
    await bought_with_bonus(feed, "m1", "2026-11-10", "o1")
    await bought_with_bonus(feed, "m2", "2026-11-11", "o2")
    await feed.bought("m4", local("2026-11-12", 10), "o4")
    await granted(feed, "m4", "2026-11-12", "bonus")
    # outside the range: counts for nothing
    await granted(feed, "m4", "2026-12-02", "welcome")


async def read(analytics: Any, tenant: str, sort: str = "") -> list[tuple[Any, ...]]:
    request = league_pb2.GetCampaignLeagueRequest(
        tenant_id=tenant, from_day="2026-11-01", to_day="2026-11-30", sort=sort
    )
    answer = await analytics.GetCampaignLeague(request)
    return [
        (c.campaign_id, c.trigger, c.reached, c.grants, c.points, c.cost) for c in answer.campaigns
    ]


async def valued(analytics: Any, tenant: str) -> None:
    settings = analytics_pb2.AnalyticsSettings(point_value="0.02", currency="CNY")
    await analytics.PutAnalyticsSettings(
        analytics_pb2.PutAnalyticsSettingsRequest(tenant_id=tenant, settings=settings)
    )


async def test_the_league_table_counts_each_campaign_by_hand(
    analytics: Any, publisher: JetStreamContext, tenant: str
) -> None:
    await valued(analytics, tenant)
    await feed_november(publisher, tenant)

    found = await settled(lambda: read(analytics, tenant), lambda found: found == EXPECTED)
    by_reach = await read(analytics, tenant, "reached")

    assert found == EXPECTED
    assert [row[0] for row in by_reach] == ["bonus", "welcome"]
    assert [row[0] for row in found] == ["welcome", "bonus"]  # by points


async def test_a_rebuild_gives_the_same_league_table(
    analytics: Any,
    publisher: JetStreamContext,
    tenant: str,
    analytics_db: tuple[MongoClient, Database],
) -> None:
    await valued(analytics, tenant)
    await feed_november(publisher, tenant)
    await settled(lambda: read(analytics, tenant), lambda found: found == EXPECTED)
    client, db = analytics_db
    # a read model gone wrong: the campaigns' buckets and triggers lost
    await db["buckets"].delete_many({"t": tenant, "k": "campaigns"})
    await db["campaigns"].delete_many({"t": tenant})
    assert await read(analytics, tenant) != EXPECTED

    await rebuild(MongoUnitOfWork(client, db), parse_logged, StoredTimeZones(db))

    assert await read(analytics, tenant) == EXPECTED


def two_of_each(campaign: str, percent: int) -> tuple[list[str], list[str]]:
    """Member ids the campaign's holdout hash puts two on each side."""
    ids = [f"h{n}" for n in range(60)]
    kept = [m for m in ids if not held_out(campaign, m, percent)][:2]
    out = [m for m in ids if held_out(campaign, m, percent)][:2]
    return kept, out


async def feed_a_holdout_campaign(js: JetStreamContext, tenant: str) -> None:
    feed = Feed(js, tenant)
    kind = "campaign.changed"
    message = campaign_pb.CampaignChanged(
        meta=feed.meta(kind, local("2026-10-20", 10)),
        campaign_id="hold",
        trigger="purchase",
        status="active",
        version=1,
        change="activated",
        holdout_percent=50,
        starts_at=timestamp(local("2026-11-05", 0)),
    )
    await feed.publish(kind, message)
    kept, out = two_of_each("hold", 50)
    for member in (*kept, *out):
        await feed.enrolled(member, local("2026-10-01", 9), "pos", "S1")
    # before the campaign's first day: counts for nothing
    await feed.bought(kept[0], local("2026-11-04", 10), "early", "999.00")
    for member, total in zip((*kept, *out), ("100.00", "300.00", "50.00", "150.00"), strict=True):
        await feed.bought(member, local("2026-11-10", 10), f"o-{member}", total)
    for member in kept:
        await granted(feed, member, "2026-11-10", "hold")


async def test_a_campaign_with_a_holdout_is_compared_with_its_held_out_members_by_hand(
    analytics: Any, publisher: JetStreamContext, tenant: str
) -> None:
    await valued(analytics, tenant)
    await feed_a_holdout_campaign(publisher, tenant)
    request = league_pb2.GetCampaignLeagueRequest(
        tenant_id=tenant, from_day="2026-11-01", to_day="2026-11-30"
    )

    async def holdout() -> Any:
        answer = await analytics.GetCampaignLeague(request)
        return answer.campaigns[0].holdout if answer.campaigns else None

    found = await settled(holdout, lambda h: h is not None and h.targeted_members == 2)

    assert (found.from_day, found.to_day) == ("2026-11-05", "2026-11-30")
    assert (found.targeted_members, found.held_out_members) == (2, 2)
    # spend per member 200.00 against 100.00; Welch's interval worked out in test_league
    assert (found.uplift, found.uplift_low, found.uplift_high) == ("100.00", "-1320.57", "1520.57")
    # 100.00 x 2 targeted; 100 points at 0.02 = 2.00 per 200.00
    assert (found.incremental_sales, found.cost_per_incremental_sale) == ("200.00", "0.0100")
