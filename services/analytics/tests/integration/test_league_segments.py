"""A campaign for a segment against its holdout in the league table, through the real
stream and the analytics service as deployed: the segment's members come from the campaign
service (a stand-in serving them two a page), a merged member counts in its survivor, a
member who refused profiling is left out of a profiling segment, and the figures are worked
out by hand. The members are kept until a refresh changes them; without the campaign
service the table still answers, saying why the comparison is missing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from grpc import aio
from nats.js import JetStreamContext

from libs.holdout import held_out
from libs.runtime import started_service
from libs.timestamps import timestamp
from loyalty.analytics.v1 import league_pb2
from loyalty.analytics.v1.analytics_pb2_grpc import AnalyticsServiceStub
from loyalty.campaign.v1 import campaign_events_pb2 as campaign_pb
from services.analytics.adapters.segments import CampaignSegments
from services.analytics.entrypoints.main import build
from services.analytics.settings import AnalyticsSettings
from services.analytics.tests.integration.conftest import HeldSegment, SegmentsStandIn
from services.analytics.tests.integration.feed import Feed, balance, local
from services.analytics.tests.integration.test_churn_from_the_stream import granted
from services.analytics.tests.integration.test_league_from_the_stream import valued
from tests.support.polling import settled

CAMPAIGN = "seg-hold"
SEGMENT = "seg-1"
REFRESHED = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def split(percent: int) -> tuple[list[str], list[str]]:
    """Three member ids the campaign's holdout hash targets and two it holds out."""
    ids = [f"s{n}" for n in range(80)]
    kept = [m for m in ids if not held_out(CAMPAIGN, m, percent)][:3]
    out = [m for m in ids if held_out(CAMPAIGN, m, percent)][:2]
    return kept, out


async def announced(feed: Feed, campaign: str, segment: str) -> None:
    kind = "campaign.changed"
    message = campaign_pb.CampaignChanged(
        meta=feed.meta(kind, local("2026-10-20", 10)),
        campaign_id=campaign,
        trigger="purchase",
        status="active",
        version=1,
        change="activated",
        holdout_percent=50,
        segment_id=segment,
        starts_at=timestamp(local("2026-11-05", 0)),
    )
    await feed.publish(kind, message)


async def feed_a_segment_campaign(js: JetStreamContext, tenant: str) -> None:
    """Targeted t0, t1, t2 spend 400.00, 800.00 and nothing; held-out o0, o1 100.00 and
    300.00. `merged` (in the segment) was merged into t2; `refuser` (in the segment)
    refused profiling; `outsider` (no segment member) spent most."""
    feed = Feed(js, tenant)
    await announced(feed, CAMPAIGN, SEGMENT)
    (t0, t1, t2), (o0, o1) = split(50)
    for member in (t0, t1, t2, o0, o1, "merged", "outsider"):
        await feed.enrolled(member, local("2026-10-01", 9), "pos", "S1")
    await feed.enrolled("refuser", local("2026-10-01", 9), "pos", "S1", {"profiling": False})
    await feed.merged(t2, "merged", local("2026-11-06", 10), balance(0))
    await feed.bought(t0, local("2026-11-04", 10), "early", "999.00")  # before its days
    spends = {t0: "400.00", t1: "800.00", o0: "100.00", o1: "300.00"}
    spends |= {"refuser": "500.00", "outsider": "9999.00"}
    for member, total in spends.items():
        await feed.bought(member, local("2026-11-10", 10), f"o-{member}", total)
    for member in (t0, t1):
        await granted(feed, member, "2026-11-10", CAMPAIGN)


def hold_the_segment(segments: SegmentsStandIn, tenant: str) -> None:
    (t0, t1, t2), (o0, o1) = split(50)
    members = [t0, t1, t2, o0, o1, "merged", "refuser"]
    segments.segments[(tenant, SEGMENT)] = HeldSegment(members, REFRESHED, profiling=True)


async def league_row(analytics: Any, tenant: str) -> Any:
    request = league_pb2.GetCampaignLeagueRequest(
        tenant_id=tenant, from_day="2026-11-01", to_day="2026-11-30"
    )
    answer = await analytics.GetCampaignLeague(request)
    return next((c for c in answer.campaigns if c.campaign_id == CAMPAIGN), None)


async def test_a_segment_campaign_is_compared_with_its_segments_held_out_members_by_hand(
    analytics: Any, publisher: JetStreamContext, segments: SegmentsStandIn, tenant: str
) -> None:
    hold_the_segment(segments, tenant)
    await valued(analytics, tenant)
    await feed_a_segment_campaign(publisher, tenant)

    row = await settled(
        lambda: league_row(analytics, tenant),
        lambda r: r is not None and r.holdout.targeted_members == 3 and r.points == 100,
    )

    found = row.holdout
    assert (row.holdout_unavailable, found.from_day, found.to_day) == (
        "",
        "2026-11-05",
        "2026-11-30",
    )
    # t2 holds the merged member once; the refuser is out; the outsider is no member
    assert (found.targeted_members, found.held_out_members) == (3, 2)
    # targeted 400, 800, 0 (mean 400) against 100, 300 (mean 200): 200.00; Welch's
    # interval worked out in test_league (df 2.64, t 4.303, margin 1082.90)
    assert (found.uplift, found.uplift_low, found.uplift_high) == ("200.00", "-882.90", "1282.90")
    # 200.00 x 3 targeted; 100 points at 0.02 = 2.00 per 600.00
    assert (found.incremental_sales, found.cost_per_incremental_sale) == ("600.00", "0.0033")


async def test_without_the_campaign_service_the_table_answers_saying_why_a_segment_is_not_compared(
    settings: AnalyticsSettings, publisher: JetStreamContext, tenant: str
) -> None:
    nowhere = settings.model_copy(update={"campaign_addr": "127.0.0.1:1"})
    async with (
        started_service("analytics", nowhere, build, listen="127.0.0.1:0") as server,
        aio.insecure_channel(f"127.0.0.1:{server.port}") as channel,
    ):
        analytics = AnalyticsServiceStub(channel)
        await feed_a_segment_campaign(publisher, tenant)

        row = await settled(
            lambda: league_row(analytics, tenant), lambda r: r is not None and r.points == 100
        )

    assert row.HasField("holdout") is False
    assert row.holdout_unavailable == "segment_unavailable"
    assert (row.reached, row.grants) == (2, 2)


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_a_segments_members_are_kept_until_a_refresh_changes_them(
    campaign_service: tuple[str, SegmentsStandIn], tenant: str
) -> None:
    address, segments = campaign_service
    segments.segments[(tenant, SEGMENT)] = HeldSegment(["a", "b", "c"], REFRESHED)
    clock = Ticks()
    channel = aio.insecure_channel(address)
    reader = CampaignSegments(channel, keep_seconds=60, clock=clock)
    try:
        first = await reader.audience(tenant, SEGMENT)
        pages = segments.pages
        again = await reader.audience(tenant, SEGMENT)
        clock.now = 61  # past the keep, the same version: asked, not paged again
        unchanged = await reader.audience(tenant, SEGMENT)
        asked_pages = segments.pages
        refreshed = REFRESHED.replace(hour=3)
        segments.segments[(tenant, SEGMENT)] = HeldSegment(["a", "d"], refreshed, profiling=True)
        kept = await reader.audience(tenant, SEGMENT)  # within the keep: no question
        clock.now = 200
        changed = await reader.audience(tenant, SEGMENT)
    finally:
        await channel.close(None)

    assert first.member_ids == frozenset({"a", "b", "c"})
    assert pages == 2  # two ids a page
    assert again == unchanged == kept == first
    assert asked_pages == pages
    assert (changed.member_ids, changed.profiling) == (frozenset({"a", "d"}), True)
    assert segments.pages == pages + 1
