"""A campaign's own comparison with its holdout (GetCampaignHoldout), through the real
stream and the analytics service as deployed: each group's members, orders and spend
worked out by hand, and the uplift equal to the league table's over the same days; for a
segment whose members cannot be had, the answer says so and gives no figure."""

from __future__ import annotations

from typing import Any

from grpc import aio
from nats.js import JetStreamContext

from libs.holdout import held_out
from libs.runtime import started_service
from libs.timestamps import timestamp
from loyalty.analytics.v1 import campaign_holdout_pb2 as pb
from loyalty.analytics.v1.analytics_pb2_grpc import AnalyticsServiceStub
from services.analytics.entrypoints.main import build
from services.analytics.settings import AnalyticsSettings
from services.analytics.tests.integration.conftest import SegmentsStandIn
from services.analytics.tests.integration.feed import Feed, local
from services.analytics.tests.integration.test_league_segments import (
    CAMPAIGN,
    SEGMENT,
    feed_a_segment_campaign,
    hold_the_segment,
    league_row,
    split,
)
from tests.support.polling import settled


def asked(tenant: str, segment_id: str = SEGMENT) -> pb.GetCampaignHoldoutRequest:
    """The campaign's window as the campaign service holds it: from its start, midnight on
    5 November in Shanghai, to an instant on 30 November."""
    return pb.GetCampaignHoldoutRequest(
        tenant_id=tenant,
        campaign_id=CAMPAIGN,
        holdout_percent=50,
        segment_id=segment_id,
        starts_at=timestamp(local("2026-11-05", 0)),
        ends_at=timestamp(local("2026-11-30", 15)),
    )


def figures(group: pb.HoldoutGroupFigures) -> tuple[int, int, str]:
    return group.members, group.orders, group.spend


async def test_a_segment_campaigns_own_comparison_counts_each_group_by_hand_as_the_league_does(
    analytics: Any, publisher: JetStreamContext, segments: SegmentsStandIn, tenant: str
) -> None:
    hold_the_segment(segments, tenant)
    await feed_a_segment_campaign(publisher, tenant)
    row = await settled(
        lambda: league_row(analytics, tenant),
        lambda r: r is not None and r.holdout.targeted_members == 3 and r.points == 100,
    )

    own = await analytics.GetCampaignHoldout(asked(tenant))

    assert (own.unavailable, own.from_day, own.to_day) == ("", "2026-11-05", "2026-11-30")
    # t0 400.00 (its 999.00 of 4 November is before the window), t1 800.00, t2 (holding
    # the merged member) nothing; o0 100.00, o1 300.00; the refuser and outsider are out
    assert figures(own.targeted) == (3, 2, "1200.00")
    assert figures(own.held_out) == (2, 2, "400.00")
    assert (own.uplift, own.uplift_low, own.uplift_high) == ("200.00", "-882.90", "1282.90")
    league = row.holdout
    assert (own.uplift, own.uplift_low, own.uplift_high) == (
        league.uplift,
        league.uplift_low,
        league.uplift_high,
    )


async def test_a_campaign_for_every_member_compares_every_enrolled_member(
    analytics: Any, publisher: JetStreamContext, segments: SegmentsStandIn, tenant: str
) -> None:
    hold_the_segment(segments, tenant)
    await feed_a_segment_campaign(publisher, tenant)
    await settled(
        lambda: league_row(analytics, tenant),
        lambda r: r is not None and r.holdout.targeted_members == 3 and r.points == 100,
    )

    own = await analytics.GetCampaignHoldout(asked(tenant, segment_id=""))

    (t0, t1, t2), (o0, o1) = split(50)
    spent = {t0: 400, t1: 800, t2: 0, o0: 100, o1: 300, "refuser": 500, "outsider": 9999}
    out = {m for m in spent if held_out(CAMPAIGN, m, 50)}
    kept = set(spent) - out
    assert figures(own.targeted) == (
        len(kept),
        sum(1 for m in kept if spent[m]),
        f"{sum(spent[m] for m in kept)}.00",
    )
    assert figures(own.held_out) == (
        len(out),
        sum(1 for m in out if spent[m]),
        f"{sum(spent[m] for m in out)}.00",
    )


async def test_without_the_campaign_service_a_segment_campaign_has_no_figure_and_says_why(
    settings: AnalyticsSettings, publisher: JetStreamContext, tenant: str
) -> None:
    nowhere = settings.model_copy(update={"campaign_addr": "127.0.0.1:1"})
    async with (
        started_service("analytics", nowhere, build, listen="127.0.0.1:0") as server,
        aio.insecure_channel(f"127.0.0.1:{server.port}") as channel,
    ):
        analytics = AnalyticsServiceStub(channel)
        # behind until its consumer has started
        own = await settled(
            lambda: analytics.GetCampaignHoldout(asked(tenant)),
            lambda answer: answer.unavailable != "analytics_behind",
        )

    assert own.unavailable == "segment_unavailable"
    assert (own.HasField("targeted"), own.HasField("held_out"), own.uplift) == (False, False, "")


def day_figures(day: pb.HoldoutDay) -> tuple[str, int, str, int, str, str, str, str]:
    t, o = day.targeted, day.held_out
    return (
        day.day,
        t.orders,
        t.spend,
        o.orders,
        o.spend,
        day.uplift,
        day.uplift_low,
        day.uplift_high,
    )


async def test_day_by_day_each_group_counts_its_days_and_the_uplift_runs_to_the_windows(
    analytics: Any, publisher: JetStreamContext, segments: SegmentsStandIn, tenant: str
) -> None:
    hold_the_segment(segments, tenant)
    await feed_a_segment_campaign(publisher, tenant)
    _, (o0, _) = split(50)
    await Feed(publisher, tenant).bought(o0, local("2026-11-20", 10), "o-late", "200.00")
    await settled(
        lambda: league_row(analytics, tenant),
        lambda r: r is not None and r.holdout.uplift == "100.00",
    )
    request = asked(tenant)
    request.by_day = True

    own = await analytics.GetCampaignHoldout(request)

    days = [day_figures(d) for d in own.days]
    assert [d[0] for d in days] == [f"2026-11-{n:02}" for n in range(5, 31)]
    # before the 10th nobody bought: every member at 0, no difference, no spread
    assert days[0] == ("2026-11-05", 0, "0.00", 0, "0.00", "0.00", "0.00", "0.00")
    # the 10th: t0 400.00, t1 800.00 against o0 100.00, o1 300.00 (as the window's above)
    assert days[5] == ("2026-11-10", 2, "1200.00", 2, "400.00", "200.00", "-882.90", "1282.90")
    assert days[6][1:] == (0, "0.00", 0, "0.00", "200.00", "-882.90", "1282.90")
    # the 20th: o0 200.00 more, so 300.00 and 300.00 against 400.00, 800.00, 0: 100.00;
    # targeted variance 160,000 / 3 = 53,333.33, held out none: df 2, t 4.303,
    # margin 4.303 x 230.94 = 993.74
    assert days[15] == ("2026-11-20", 0, "0.00", 1, "200.00", "100.00", "-893.74", "1093.74")
    # the last day's is the window's, as the results and the league table give it
    assert days[-1][5:] == (own.uplift, own.uplift_low, own.uplift_high)
    assert figures(own.held_out) == (2, 3, "600.00")
