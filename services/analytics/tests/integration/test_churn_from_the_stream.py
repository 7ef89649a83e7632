"""Churn risk from known events through the real stream, worked out by hand (as of
2026-04-30, Shanghai): gaps against each member's usual interval, a return after the last
purchase as a reason, a merged member's purchases its survivor's, an erased member counted
but not named, a member who refused profiling left out, a redelivered purchase counted
once, pages and filters; win-back after an inactivity campaign (a birthday campaign's
rewards not counted, a redelivered reward once, a merged member's its survivor's). A
rebuild gives the same figures; a purchase arriving after a read counts at the next one,
as the plain computation from the members' profiles counts it."""

from __future__ import annotations

from typing import Any

from nats.js import JetStreamContext

from libs.mongo import Database, MongoClient
from libs.timestamps import timestamp
from loyalty.analytics.v1 import churn_pb2 as pb
from loyalty.campaign.v1 import campaign_events_pb2 as campaign_pb
from loyalty.points.v1 import events_pb2 as points_pb
from services.analytics.adapters.reports import MongoReports
from services.analytics.adapters.repositories import MongoUnitOfWork
from services.analytics.adapters.zones import StoredTimeZones
from services.analytics.domain.churn import AtRisk, churn_risk
from services.analytics.domain.profiles import churn_members
from services.analytics.entrypoints.events import parse_logged
from services.analytics.handlers.rebuild import rebuild
from services.analytics.tests.integration.feed import Feed, balance, line, local
from services.analytics.tests.integration.read_model_state import break_member
from tests.support.polling import settled

AS_OF = "2026-04-30"
# (member, tier, store, last purchase, gap, usual, score, reasons)
EXPECTED = [
    # a: 03-01, 03-11, 03-21, usual 10, gap 40: 100 x 30 / 40 = 75, +10 for the return
    (
        "a",
        "member",
        "S1",
        "2026-03-21",
        40,
        10,
        85,
        ["beyond_usual_interval", "returned_last_purchase"],
    ),
    # d (erased): 02-01, 02-11, 02-21, usual 10, gap 68: 100 x 58 / 68 = 85.3
    ("", "gold", "S1", "2026-02-21", 68, 10, 85, ["beyond_usual_interval"]),
    # c with f's purchases (03-08, 03-15 at S2): 03-01, 03-08, 03-15, usual 7, gap 46: 84.8
    ("c", "member", "S2", "2026-03-15", 46, 7, 84, ["beyond_usual_interval"]),
]
# a, b (not at risk: usual 9, gap 10), c, d; e refused profiling, f merged, g bought twice
ASSESSED = 4
# "back" (inactivity) rewarded b on 03-25 (bought 04-01: back), f on 03-10 (merged into c;
# bought 03-15: back) and g on 04-20 (nothing since, its 30 days not over: waiting)
WIN_BACK = [("back", 3, 2, 1)]


async def campaign_changed(feed: Feed, campaign: str, trigger: str) -> None:
    kind = "campaign.changed"
    message = campaign_pb.CampaignChanged(
        meta=feed.meta(kind, local("2026-01-02", 10)),
        campaign_id=campaign,
        trigger=trigger,
        status="active",
        version=1,
        change="activated",
    )
    await feed.publish(kind, message)


async def granted(feed: Feed, member: str, day: str, campaign: str) -> points_pb.PointsGranted:
    kind = "points.granted"
    message = points_pb.PointsGranted(
        meta=feed.meta(kind, local(day, 9)),
        member_id=member,
        grant_key=f"{campaign}:{member}",
        points=50,
        campaign_id=campaign,
        balance=balance(50),
        lot_expires_at=timestamp(local("2027-01-01", 0)),
    )
    await feed.publish(kind, message)
    return message


async def feed_spring(js: JetStreamContext, tenant: str) -> None:
    feed = Feed(js, tenant)
    await campaign_changed(feed, "back", "inactivity")
    await campaign_changed(feed, "bday", "birthday")
    for member in ("a", "b", "c", "d", "f", "g"):
        await feed.enrolled(member, local("2026-01-05", 10), "pos", "S1")
    await granted(feed, "a", "2026-03-01", "bday")
    again = await granted(feed, "b", "2026-03-25", "back")
    await feed.publish("points.granted", again, msg_id=again.meta.event_id + "-again")
    await granted(feed, "f", "2026-03-10", "back")
    await granted(feed, "g", "2026-04-20", "back")
    await feed.enrolled("e", local("2026-01-05", 10), "pos", "S1", {"profiling": False})
    for n, day in enumerate(("2026-03-01", "2026-03-11", "2026-03-21")):
        await feed.bought("a", local(day, 10), f"a{n}")
    last = await feed.earned(
        "a",
        local("2026-03-21", 15),
        "a9",
        where=("pos", "S1"),
        total="20.00",
        lines=[line("A", "shoes", 1, "20.00")],
        after=balance(40),
    )
    # The same purchase again, past the stream's duplicate check: only the inbox stops it.
    await feed.publish("points.earned", last, msg_id=last.meta.event_id + "-again")
    await feed.returned(
        "a",
        local("2026-03-25", 10),
        "a9",
        where=("pos", "S1"),
        points=20,
        amount="20.00",
        lines=[line("A", "shoes", 1, "20.00")],
        after=balance(20),
    )
    for n, day in enumerate(("2026-04-01", "2026-04-10", "2026-04-20")):
        await feed.bought("b", local(day, 10), f"b{n}")
    await feed.bought("c", local("2026-03-01", 10), "c0")
    for n, day in enumerate(("2026-03-08", "2026-03-15")):
        await feed.earned(
            "f",
            local(day, 10),
            f"f{n}",
            where=("pos", "S2"),
            total="10.00",
            lines=[line("A", "shoes", 1, "10.00")],
            after=balance(10),
        )
    await feed.merged("c", "f", local("2026-03-20", 10), balance(30))
    await feed.tier_changed("d", local("2026-01-20", 10), "gold")
    for n, day in enumerate(("2026-02-01", "2026-02-11", "2026-02-21")):
        await feed.bought("d", local(day, 10), f"d{n}")
        await feed.bought("e", local(day, 10), f"e{n}")
    await feed.erased("d", local("2026-03-01", 10))
    for n, day in enumerate(("2026-01-10", "2026-01-20")):
        await feed.bought("g", local(day, 10), f"g{n}")


async def read(analytics: Any, tenant: str, **query: Any) -> pb.GetChurnRiskResponse:
    request = pb.GetChurnRiskRequest(tenant_id=tenant, as_of_day=AS_OF, **query)
    answer: pb.GetChurnRiskResponse = await analytics.GetChurnRisk(request)
    return answer


def rows(answer: pb.GetChurnRiskResponse) -> list[tuple[Any, ...]]:
    return [
        (
            m.member_id,
            m.tier,
            m.store_id,
            m.last_purchase_day,
            m.gap_days,
            m.usual_interval_days,
            m.score,
            list(m.reasons),
        )
        for m in answer.members
    ]


def plain_row(r: AtRisk) -> tuple[Any, ...]:
    """A member at risk as `rows` gives it."""
    where = (r.member_id, r.tier, r.store_id, r.last_purchase)
    return (*where, r.gap_days, r.usual_days, r.score, list(r.reasons))


def win_back(answer: pb.GetChurnRiskResponse) -> list[tuple[Any, ...]]:
    return [(w.campaign_id, w.rewarded, w.won_back, w.waiting) for w in answer.win_back]


def counts(found: Any) -> dict[str, int]:
    return {c.key: c.members for c in found}


async def test_churn_risk_lists_the_members_worked_out_by_hand(
    analytics: Any, publisher: JetStreamContext, tenant: str
) -> None:
    await feed_spring(publisher, tenant)

    answer = await settled(lambda: read(analytics, tenant), lambda found: rows(found) == EXPECTED)

    assert rows(answer) == EXPECTED
    assert (answer.assessed, answer.at_risk, answer.erased) == (ASSESSED, 3, 1)
    assert counts(answer.by_tier) == {"gold": 1, "member": 2}
    assert counts(answer.by_store) == {"S1": 2, "S2": 1}
    assert answer.next_page_token == ""


async def test_win_back_counts_the_inactivity_campaigns_rewarded_members_by_hand(
    analytics: Any, publisher: JetStreamContext, tenant: str
) -> None:
    await feed_spring(publisher, tenant)

    answer = await settled(
        lambda: read(analytics, tenant), lambda found: win_back(found) == WIN_BACK
    )
    shorter = await read(analytics, tenant, win_back_days=5)

    assert (win_back(answer), answer.win_back_days) == (WIN_BACK, 30)
    # within 5 days: f's 03-15 after 03-10 still, b's 04-01 after 03-25 no longer, and
    # g's 5 days after 04-20 are over
    assert (win_back(shorter), shorter.win_back_days) == ([("back", 3, 1, 0)], 5)


async def test_churn_risk_pages_and_narrows_by_tier_and_store(
    analytics: Any, publisher: JetStreamContext, tenant: str
) -> None:
    await feed_spring(publisher, tenant)
    await settled(lambda: read(analytics, tenant), lambda found: rows(found) == EXPECTED)

    first = await read(analytics, tenant, page_size=2)
    second = await read(analytics, tenant, page_size=2, page_token=first.next_page_token)
    in_s2 = await read(analytics, tenant, store_ids=["S2"])
    gold = await read(analytics, tenant, tier="gold")

    assert rows(first) + rows(second) == EXPECTED
    assert (first.at_risk, second.next_page_token) == (3, "")
    assert (rows(in_s2), in_s2.assessed) == ([EXPECTED[2]], 1)
    assert (rows(gold), gold.assessed) == ([EXPECTED[1]], 1)


async def test_a_rebuild_gives_the_same_churn_risk(
    analytics: Any,
    publisher: JetStreamContext,
    tenant: str,
    analytics_db: tuple[MongoClient, Database],
) -> None:
    await feed_spring(publisher, tenant)
    await settled(
        lambda: read(analytics, tenant),
        lambda found: (rows(found), win_back(found)) == (EXPECTED, WIN_BACK),
    )
    client, db = analytics_db
    # a read model gone wrong: c's merged purchases forgotten
    await break_member(db, tenant, "c", {"$set": {"buys": []}})
    await db["campaigns"].delete_many({"t": tenant})
    broken = await read(analytics, tenant)
    assert (rows(broken), win_back(broken)) != (EXPECTED, WIN_BACK)

    await rebuild(MongoUnitOfWork(client, db), parse_logged, StoredTimeZones(db))

    rebuilt = await read(analytics, tenant)
    assert (rows(rebuilt), win_back(rebuilt)) == (EXPECTED, WIN_BACK)


async def test_a_purchase_after_a_read_counts_at_the_next_read_as_the_plain_computation_does(
    analytics: Any,
    publisher: JetStreamContext,
    tenant: str,
    analytics_db: tuple[MongoClient, Database],
) -> None:
    _, db = analytics_db
    await feed_spring(publisher, tenant)
    await settled(lambda: read(analytics, tenant), lambda found: rows(found) == EXPECTED)
    await read(analytics, tenant, tier="member")  # kept for a filter too

    # a buys again five days before the day asked: no longer at risk
    await Feed(publisher, tenant).bought("a", local("2026-04-25", 10), "a9")

    answer = await settled(lambda: read(analytics, tenant), lambda found: rows(found) != EXPECTED)
    members = await read(analytics, tenant, tier="member")
    plain = churn_risk(churn_members(await MongoReports(db).profiles(tenant)), AS_OF)
    assert (rows(answer), answer.assessed) == (EXPECTED[1:], ASSESSED)
    assert [plain_row(r) for r in plain.at_risk] == rows(answer)
    assert plain.assessed == answer.assessed
    assert (rows(members), members.assessed) == ([EXPECTED[2]], 3)  # a, b and c
