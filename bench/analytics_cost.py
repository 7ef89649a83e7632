"""What each analytics report costs the analytics service itself, measured in process:
N bench members (bench/dataset's profiles: enrolment, orders, the wallet the last order
left) loaded into a read model of its own on a SecantusDB of its own with the service's
indexes (`AnalyticsLoad`, the arithmetic of `handlers/ingest.apply`), then each report
asked as the console asks it (a year ending today where a range applies) through the
servicer's own method (the handler, the database reads and the protobuf answer) and,
for the overview, liability and sales, the gateway's translation to its JSON body. No
gRPC, HTTP or other service is in the figures, so a change to a report can be compared
in minutes; `make bench` measures them through the gateway. Besides the latencies it
prints the median CPU one call costs the database server and this process, steadier
than the latencies on a shared machine.

    .venv/bin/python -m bench.analytics_cost [members] [rounds]     # 2000 members, 5 rounds
    .venv/bin/python -m bench.analytics_cost 2000 3 profile         # and a cProfile per report

The league table's campaign (one in fifty members rewarded) holds out a tenth of every
member, so its figure includes the comparison with the holdout.

ANALYTICS_COST_DATA=<dir> keeps the loaded database there and uses it again on the next
run with the same member count (loading runs at about 200 members a second). REPORTS=
overview,sales narrows the reports ("overview S001" and "sales S001" are a store
manager's, for one store; "overview S001+S002" and "sales S001+S002" a manager's of two
stores asking for both at once; "sales ecommerce" and "sales gold" the sales filtered by
a channel and by a tier, "sales S001 gold" a manager's filtered by a tier, "sales S001
pos", "sales ecommerce gold", "sales S001 pos gold" and "sales S001+S002 gold" the
other combinations of two or three filters: the bench's stores sell at the till, `pos`;
"campaign holdout" a campaign's own comparison with its holdout over a year, "campaign
days" the same day by day); the profile
is sorted by SORT (cumulative) and shows TOP lines (30).
"""

from __future__ import annotations

import asyncio
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from bench.analytics_reports import YEAR_DAYS, summarize
from bench.cpu import cpu_seconds
from bench.dataset.analytics import ANALYTICS_DB, AnalyticsLoad, Credited
from bench.dataset.population import PastOrder, profile
from gateway.analytics.answers import Range
from gateway.analytics.translate import liability_out, overview_out, sales_out
from libs.holdout import held_out
from libs.ids import new_id
from libs.logging import configure_logging
from libs.mongo import make_client
from libs.stack.servers import free_port, mongo_server
from libs.timestamps import timestamp
from loyalty.analytics.v1 import analytics_pb2 as pb
from loyalty.analytics.v1 import campaign_holdout_pb2, churn_pb2, league_pb2
from services.analytics.adapters.reports import MongoReports
from services.analytics.adapters.repositories import ensure_indexes
from services.analytics.domain.facts import CampaignInfo, CampaignSeen, Event, Rewarded
from services.analytics.domain.ports import (
    Freshness,
    SegmentAudience,
    SegmentMembers,
    SegmentsUnavailable,
    TimeZones,
)
from services.analytics.entrypoints.servicer import AnalyticsServicer
from services.points.domain.balances import Balance, ExpiringPoints

TENANT = "bench"
TIERS = ("bronze", "bronze", "silver", "gold")
STORE = "S001"
NOON = clock_time(12, tzinfo=UTC)
# A store manager of several stores asks without `store_id`: every one of theirs.
STORES = ("S001", "S002")
# A report on 100,000 members takes seconds: the client's 5 s default is too short.
REPORT_TIMEOUT_MS = 300_000
LOAD_BATCH = 250
LOT_DAYS = 365
HOLDOUT_CAMPAIGN = "cmp_bench_holdout"
HOLDOUT_PERCENT = 10
REWARDED_EVERY = 50


class Utc(TimeZones):
    async def time_zone(self, tenant_id: str) -> str:
        return "UTC"


class NoSegments(SegmentMembers):
    """The bench's campaigns have no segment."""

    async def audience(self, tenant_id: str, segment_id: str) -> SegmentAudience:
        raise SegmentsUnavailable("the bench asks no campaign service")


def credited(orders: tuple[PastOrder, ...]) -> list[Credited]:
    """Each order with a point per whole unit paid, and the wallet after it: every lot
    expiring a year after its order."""
    done: list[Credited] = []
    lots: list[ExpiringPoints] = []
    for order in orders:
        points = int(order.total)
        lots.append(ExpiringPoints(points, order.occurred_at + timedelta(days=LOT_DAYS)))
        available = sum(lot.points for lot in lots)
        done.append(Credited(order, points, Balance(available=available, lots=tuple(lots))))
    return done


def holdout_campaign(now: datetime) -> Event:
    """A campaign for every member holding out `HOLDOUT_PERCENT` of them: the league
    table compares its targeted members' spend with its held-out members'."""
    info = CampaignInfo(HOLDOUT_CAMPAIGN, "purchase", HOLDOUT_PERCENT)
    seen = CampaignSeen(TENANT, "", now - timedelta(days=2 * YEAR_DAYS), info)
    return Event(new_id("bench"), TENANT, (seen,))


def holdout_reward(index: int, member_id: str, now: datetime) -> Event | None:
    """The campaign's reward of one member in `REWARDED_EVERY` that it does not hold
    out, on a day of the year ending `now`."""
    if index % REWARDED_EVERY or held_out(HOLDOUT_CAMPAIGN, member_id, HOLDOUT_PERCENT):
        return None
    at = now - timedelta(days=index % YEAR_DAYS)
    rewarded = Rewarded(TENANT, member_id, at, campaign_id=HOLDOUT_CAMPAIGN, points=100)
    return Event(new_id("bench"), TENANT, (rewarded,))


async def load(url: str, members: int, now: datetime) -> None:
    client = make_client(url, app_name="analytics-cost")
    await ensure_indexes(client[ANALYTICS_DB])
    loader = AnalyticsLoad(client, TENANT, "UTC")
    loader.pending.append(holdout_campaign(now))
    started = time.perf_counter()
    for index in range(members):
        who = profile(index, now)
        member_id = f"mem_{index:07}"
        loader.add(member_id, who, TIERS[index % len(TIERS)], credited(who.orders))
        if (reward := holdout_reward(index, member_id, now)) is not None:
            loader.pending.append(reward)
        if len(loader.pending) >= LOAD_BATCH or index == members - 1:
            # the buckets add up in memory and are written once, after the last member
            await loader.flush(buckets=index == members - 1)
            rate = (index + 1) / (time.perf_counter() - started)
            sys.stderr.write(f"\rloaded {index + 1}/{members} members ({rate:.0f}/s)")
    sys.stderr.write("\n")
    await client.close()


class Loaded(Freshness):
    """The bench's read model is loaded before it is asked: always current."""

    async def behind(self) -> str:
        return ""


Call = Callable[[], Awaitable[Any]]


def report_calls(servicer: AnalyticsServicer, today: date) -> dict[str, Call]:
    """Each report as the console asks it, from the servicer's method to the JSON body the
    gateway makes of it where the gateway's translation is in reach."""
    days = Range(from_day=(today - timedelta(days=YEAR_DAYS)).isoformat(), to_day=today.isoformat())

    def year(**filters: Any) -> pb.ReportScope:
        return pb.ReportScope(
            tenant_id=TENANT, from_day=days.from_day, to_day=days.to_day, **filters
        )

    scope = year()
    # A store manager's pages: the same reports for one store.
    store = year(store_ids=[STORE])
    stores = year(store_ids=list(STORES))
    # The sales report filtered by a channel and by a tier (the dashboard's filters).
    channel = year(channel="ecommerce")
    tier = year(tier="gold")
    store_tier = year(store_ids=[STORE], tier="gold")
    # Two and three of store, channel and tier at once, and a manager's two stores with a tier.
    store_channel = year(store_ids=[STORE], channel="pos")
    channel_tier = year(channel="ecommerce", tier="gold")
    all_three = year(store_ids=[STORE], channel="pos", tier="gold")
    stores_tier = year(store_ids=list(STORES), tier="gold")
    ctx: Any = None

    async def overview(scope: pb.ReportScope = scope) -> str:
        answer = await servicer.GetProgrammeOverview(
            pb.GetProgrammeOverviewRequest(scope=scope), ctx
        )
        return overview_out(days, answer).model_dump_json()

    async def liability() -> str:
        answer = await servicer.GetPointsLiability(
            pb.GetPointsLiabilityRequest(tenant_id=TENANT), ctx
        )
        return liability_out(answer).model_dump_json()

    async def sales(scope: pb.ReportScope = scope) -> str:
        answer = await servicer.GetSalesReport(pb.GetSalesReportRequest(scope=scope), ctx)
        return sales_out(days, "CNY", answer).model_dump_json()

    async def retention() -> Any:
        return await servicer.GetRetention(pb.GetRetentionRequest(scope=scope), ctx)

    async def rfm() -> Any:
        return await servicer.GetRfm(pb.GetRfmRequest(scope=scope), ctx)

    async def churn() -> Any:
        request = churn_pb2.GetChurnRiskRequest(tenant_id=TENANT, as_of_day=days.to_day)
        return await servicer.GetChurnRisk(request, ctx)

    async def league() -> Any:
        request = league_pb2.GetCampaignLeagueRequest(
            tenant_id=TENANT, from_day=days.from_day, to_day=days.to_day
        )
        return await servicer.GetCampaignLeague(request, ctx)

    async def campaign_holdout() -> Any:
        """A campaign of the year for every member, a tenth held out: the worst case, the
        whole tenant its audience (the bench's own campaigns have no holdout)."""
        request = campaign_holdout_pb2.GetCampaignHoldoutRequest(
            tenant_id=TENANT,
            campaign_id="bench-holdout",
            holdout_percent=10,
            starts_at=timestamp(datetime.combine(today - timedelta(days=YEAR_DAYS), NOON)),
            ends_at=timestamp(datetime.combine(today, NOON)),
        )
        return await servicer.GetCampaignHoldout(request, ctx)

    async def campaign_days() -> Any:
        """The same campaign day by day (its results day by day): every day's groups and
        running uplift."""
        request = campaign_holdout_pb2.GetCampaignHoldoutRequest(
            tenant_id=TENANT,
            campaign_id="bench-holdout",
            holdout_percent=10,
            starts_at=timestamp(datetime.combine(today - timedelta(days=YEAR_DAYS), NOON)),
            ends_at=timestamp(datetime.combine(today, NOON)),
            by_day=True,
        )
        return await servicer.GetCampaignHoldout(request, ctx)

    return {
        "overview": overview,
        "liability": liability,
        "sales": sales,
        "overview S001": lambda: overview(store),
        "sales S001": lambda: sales(store),
        "overview S001+S002": lambda: overview(stores),
        "sales S001+S002": lambda: sales(stores),
        "sales ecommerce": lambda: sales(channel),
        "sales gold": lambda: sales(tier),
        "sales S001 gold": lambda: sales(store_tier),
        "sales S001 pos": lambda: sales(store_channel),
        "sales ecommerce gold": lambda: sales(channel_tier),
        "sales S001 pos gold": lambda: sales(all_three),
        "sales S001+S002 gold": lambda: sales(stores_tier),
        "retention": retention,
        "rfm": rfm,
        "churn": churn,
        "league table": league,
        "campaign holdout": campaign_holdout,
        "campaign days": campaign_days,
    }


async def measure(
    url: str, db_pid: int | None, members: int, rounds: int, *, profile_them: bool, today: date
) -> None:
    client = make_client(url, app_name="analytics-cost", timeout_ms=REPORT_TIMEOUT_MS)
    servicer = AnalyticsServicer(MongoReports(client[ANALYTICS_DB]), Utc(), NoSegments(), Loaded())
    wanted = os.environ.get("REPORTS", "")
    calls = report_calls(servicer, today)
    if wanted:
        calls = {name: call for name, call in calls.items() if name in wanted.split(",")}
    rows = []
    for name, call in calls.items():
        seconds, spent = [], []
        for _ in range(rounds):
            before = _cpu(db_pid)
            started, own = time.perf_counter(), time.process_time()
            await call()
            seconds.append(time.perf_counter() - started)
            spent.append((_cpu(db_pid) - before, time.process_time() - own))
        rows.append(
            (summarize(name, seconds, 0), *map(statistics.median, zip(*spent, strict=True)))
        )
        if profile_them:
            profiler = cProfile.Profile()
            profiler.enable()
            await call()
            profiler.disable()
            sys.stdout.write(f"\n=== {name} ===\n")
            stats = pstats.Stats(profiler, stream=sys.stdout)
            stats.sort_stats(os.environ.get("SORT", "cumulative"))
            stats.print_stats(int(os.environ.get("TOP", "30")))
    await client.close()
    sys.stdout.write(f"\n{members} members, {rounds} rounds, in process (handler + answer)\n")
    sys.stdout.write(f"{'report':<20} {'p50 ms':>8} {'p95 ms':>8} {'db CPU':>8} {'own CPU':>8}\n")
    for r, db, own in rows:
        sys.stdout.write(
            f"{r.report:<20} {r.p50_ms:>8.1f} {r.p95_ms:>8.1f}"
            f" {db * 1000:>8.1f} {own * 1000:>8.1f}\n"
        )


def _cpu(pid: int | None) -> float:
    return (cpu_seconds(pid) or 0.0) if pid is not None else 0.0


async def run(members: int, rounds: int, profile_them: bool, data: Path) -> None:
    # Days as of a fixed noon so a kept database answers the same figures on another day.
    marker = data / f"loaded-{members}"
    now_file = data / "now"
    if marker.exists():
        now = datetime.fromisoformat(now_file.read_text().strip())
    else:
        now = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    (data / "mongo").mkdir(parents=True, exist_ok=True)
    server = mongo_server(data / "mongo", free_port(), sink=None, timeout=60)
    server.start()
    try:
        if not marker.exists():
            await load(server.url, members, now)
            now_file.write_text(now.isoformat())
            marker.touch()
        await measure(
            server.url, server.pid, members, rounds, profile_them=profile_them, today=now.date()
        )
    finally:
        server.stop()


def main(argv: list[str]) -> None:
    members = int(argv[0]) if argv else 2000
    rounds = int(argv[1]) if len(argv) > 1 else 5
    configure_logging("analytics", "WARNING", "json")
    kept = os.environ.get("ANALYTICS_COST_DATA")
    if kept:
        asyncio.run(run(members, rounds, "profile" in argv, Path(kept)))
        return
    with tempfile.TemporaryDirectory(prefix="analytics-cost-") as data:
        asyncio.run(run(members, rounds, "profile" in argv, Path(data)))


if __name__ == "__main__":
    main(sys.argv[1:])
