"""The member pages the profiling reports read hold exactly what the member documents
say: after merges, erasure, refused and given consent, returns, rewards and redelivered
events through the real stream, every page line is its member document's profile, and
what each page keeps beside its lines (the month sums, churn headings, enrolled members,
rewarded and marked members' lines) is what its lines give, and
each profiling read from the pages equals (or, where the old query was looser than the
arithmetic after it, gives the same RFM grid and churn risk as) the read of one member
document per member that the reports made before the pages (kept here as the reference)."""

from __future__ import annotations

from typing import Any

from nats.js import JetStreamContext

from libs.mongo import Database, Doc, MongoClient
from libs.nats import STREAM_NAME
from services.analytics.adapters.page_sections import SECTIONS, sections_of
from services.analytics.adapters.pages import PAGES
from services.analytics.adapters.read_model import MEMBERS
from services.analytics.adapters.reports import MongoReports
from services.analytics.domain.churn import ChurnMember, churn_risk
from services.analytics.domain.churn_kept import kept_churn_risk
from services.analytics.domain.cohorts import counts, triangle
from services.analytics.domain.month_sums import ORDERS_MASK
from services.analytics.domain.retention import CohortMember, retention
from services.analytics.domain.rfm import RfmMember, cells
from services.analytics.domain.rfm import rfm as rfm_grid
from services.analytics.tests.integration.read_model_state import paged_and_documented
from services.analytics.tests.integration.test_churn_from_the_stream import feed_spring
from services.analytics.tests.integration.test_retention_from_the_stream import (
    feed_three_months,
)
from services.analytics.tests.integration.test_rfm_from_the_stream import feed_november
from tests.support.polling import eventually

FIRST, LAST = "2025-12-01", "2026-12-31"
NOT_MERGED: Doc = {"merged_into": {"$in": [None, ""]}}


async def _all_taken(publisher: JetStreamContext, tenant: str) -> bool:
    info = await publisher.consumer_info(STREAM_NAME, f"analytics-{tenant}")
    return bool(info.num_pending == 0 and info.num_ack_pending == 0)


def _days(doc: Doc) -> tuple[str, ...]:
    return tuple(sorted({b["d"] for b in doc.get("buys", [])}))


def _in(days: tuple[str, str]) -> Doc:
    return {"$gte": days[0], "$lte": days[1]}


def _within(doc: Doc, name: str, days: tuple[str, str]) -> int:
    return sum(n for d, n in dict(doc.get(name) or {}).items() if days[0] <= d <= days[1])


def _net(doc: Doc, days: tuple[str, str]) -> int:
    return _within(doc, "g", days) - _within(doc, "r", days)


def _churn(doc: Doc) -> ChurnMember:
    buys = sorted((b["d"], b.get("s", "")) for b in doc.get("buys", []))
    last_day = buys[-1][0] if buys else ""
    return ChurnMember(
        doc["m"],
        doc.get("tier", ""),
        bool(doc.get("erased", False)),
        _days(doc),
        min((s for d, s in buys if d == last_day), default=""),
        tuple(sorted(d for d, cents in dict(doc.get("r") or {}).items() if cents)),
    )


async def documented_reads(db: Database, tenant: str, days: tuple[str, str]) -> dict[str, Any]:
    """The profiling reads as they were made before the pages: one member document each."""

    async def find(query: Doc) -> list[Doc]:
        return [doc async for doc in db[MEMBERS].find({"t": tenant, **query})]

    profiled = {**NOT_MERGED, "no_profiling": {"$ne": True}}
    cohort = await find({"since": _in(days), **profiled})
    rfm = await find({"buys.d": _in(days), **profiled})
    churn = await find({"buys.2": {"$exists": True}, **profiled})
    rewarded = await find({"rw.0": {"$exists": True}, **NOT_MERGED})
    enrolled = await find({"enrolled": True, **NOT_MERGED})
    merged = await find({"merged_into": {"$nin": [None, ""]}})
    reach: dict[str, set[str]] = {}
    for doc in await find({"rw.d": _in(days), **NOT_MERGED}):
        for r in doc["rw"]:
            if days[0] <= r["d"] <= days[1]:
                reach.setdefault(r["c"], set()).add(doc["m"])
    return {
        "cohort": retention([CohortMember(d["since"], _days(d)) for d in cohort], *days),
        "rfm": rfm_grid(
            [RfmMember(*(dict(d.get(n) or {}) for n in ("o", "g", "r"))) for d in rfm], *days
        ),
        "churn": churn_risk(map(_churn, churn), days[1]),
        "rewarded": sorted((tuple((r["c"], r["d"]) for r in d["rw"]), _days(d)) for d in rewarded),
        "spend": {d["m"]: _net(d, days) for d in enrolled},
        "orders_and_spend": (
            {d["m"]: _net(d, days) for d in enrolled},
            {d["m"]: n for d in enrolled if (n := _within(d, "o", days))},
        ),
        "reach": {c: len(members) for c, members in reach.items()},
        "merged": {d["m"]: d["merged_into"] for d in merged},
        "refusing": {d["m"] for d in await find({"no_profiling": True})},
    }


async def paged_reads(db: Database, tenant: str, days: tuple[str, str]) -> dict[str, Any]:
    reports = MongoReports(db)
    marks = await reports.member_marks(tenant)
    rfm = await reports.rfm_totals(tenant, *days)
    rewarded = await reports.rewarded_members(tenant)
    kept = await reports.member_orders_and_spend(tenant, *days)
    return {
        "cohort": triangle(await reports.cohort_counts(tenant, *days), *days),
        "rfm": cells(rfm, days[1]),
        "churn": kept_churn_risk(await reports.kept_churn(tenant), days[1]),
        "rewarded": sorted((r.rewards, r.purchase_days) for r in rewarded),
        "spend": await reports.member_spend(tenant, *days),
        "orders_and_spend": (
            kept.spend,
            {m: both & ORDERS_MASK for m, both in kept.sums.items() if both & ORDERS_MASK},
        ),
        "reach": await reports.campaign_reach(tenant, *days),
        "merged": marks.merged_into,
        "refusing": set(marks.refusing),
    }


async def test_every_page_line_is_its_member_documents_profile_and_the_reads_agree(
    analytics: Any,
    publisher: JetStreamContext,
    tenant: str,
    analytics_db: tuple[MongoClient, Database],
) -> None:
    # one after the other: later batches change members earlier ones wrote
    for feed in (feed_spring, feed_november, feed_three_months):
        await feed(publisher, tenant)
        await eventually(lambda: _all_taken(publisher, tenant), within=60)
    _, db = analytics_db

    paged, documented = await paged_and_documented(db, tenant)
    assert paged == documented
    # what each page keeps beside its lines, changed batch by batch, is what its lines give
    async for page in db[PAGES].find({"t": tenant}):
        made = sections_of(str(page["x"]).split("\n"))
        assert {name: page[name] for name in SECTIONS} == {name: made[name] for name in SECTIONS}
    # the retention counts kept as the members changed are their profiles' counts now
    everyone = await MongoReports(db).cohort_counts(tenant, "2000-01-01", "2999-12-31")
    summed: dict[str, int] = {}
    for profile in documented.values():
        for key, n in counts(profile).items():
            summed[key] = summed.get(key, 0) + n
    assert dict(everyone) == summed
    assert any(p.merged_into for p in paged.values())
    assert any(p.erased for p in paged.values())
    assert any(p.refuses_profiling for p in paged.values())
    ranges = [(FIRST, LAST), ("2026-03-01", "2026-03-31"), ("2026-10-15", "2026-11-15")]
    for days in [*ranges, ("2026-09-10", "2026-11-03"), ("2026-01-05", "2026-01-05")]:
        assert await paged_reads(db, tenant, days) == await documented_reads(db, tenant, days)
