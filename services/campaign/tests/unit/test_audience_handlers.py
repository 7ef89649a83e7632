"""Segments saved and refreshed, and a campaign tried on a cart, over in-memory fakes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from libs.errors import InvalidArgument, NotFound
from services.campaign.campaigns.domain import lifecycle
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.definitions import Definition
from services.campaign.campaigns.domain.facts import Line, Member, Purchase
from services.campaign.campaigns.domain.history import MemberFacts, OrderRecord
from services.campaign.campaigns.domain.rules import Conditions, Effect, EffectType
from services.campaign.campaigns.domain.segments import Segment, SegmentRules, WindowStats, matches
from services.campaign.campaigns.handlers.insights import Insights
from services.campaign.campaigns.handlers.segments import Segments
from services.campaign.tests.fakes import FakeStore
from services.campaign.tests.reward_fakes import FakeAudience

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


@dataclass
class FakeSegments:
    facts: list[MemberFacts] = field(default_factory=list)
    saved: dict[str, Segment] = field(default_factory=dict)
    materialised: dict[str, set[str]] = field(default_factory=dict)

    async def add(self, segment: Segment) -> None:
        self.saved[segment.segment_id] = segment

    async def save(self, segment: Segment) -> None:
        self.saved[segment.segment_id] = segment

    async def get(self, tenant_id: str, segment_id: str) -> Segment | None:
        found = self.saved.get(segment_id)
        return found if found is not None and found.tenant_id == tenant_id else None

    async def list(self, tenant_id: str) -> list[Segment]:
        return [s for s in self.saved.values() if s.tenant_id == tenant_id]

    async def members(self, tenant_id: str, rules: SegmentRules, now: datetime) -> set[str]:
        return {f.member_id for f in self.facts if matches(rules, f, WindowStats(), now)}

    async def materialise(self, segment: Segment, now: datetime) -> int:
        held = await self.members(segment.tenant_id, segment.rules, now)
        self.materialised[segment.segment_id] = held
        return len(held)

    async def claim_stale(self, now: datetime, max_age: timedelta) -> Segment | None:
        stale = [s for s in self.saved.values() if s.segment_id not in self.materialised]
        return stale[0] if stale else None

    async def member_page(
        self, tenant_id: str, segment_id: str, after: str, limit: int
    ) -> Sequence[str]:
        held = self.materialised.get(segment_id, set())
        return sorted(m for m in held if m > after)[:limit]


@dataclass
class Forgotten:
    keys: list[tuple[str, str]] = field(default_factory=list)

    def forget(self, tenant_id: str, segment_id: str) -> None:
        self.keys.append((tenant_id, segment_id))


GOLD = MemberFacts("t1", "m1", tier_code="gold", consents={"marketing": True})
SILVER = MemberFacts("t1", "m2", tier_code="silver")


def segments(store: FakeSegments, cache: Forgotten | None = None) -> Segments:
    return Segments(store, lambda: NOW, lambda: "seg-1", cache or Forgotten())


async def test_a_saved_segment_is_materialised_at_once_and_read_again_by_the_engine() -> None:
    store, cache = FakeSegments([GOLD, SILVER]), Forgotten()
    saved = await segments(store, cache).create(
        "t1", "Gold", SegmentRules(tiers=frozenset({"gold"}))
    )
    assert (saved.size, saved.refreshed_at) == (1, NOW)
    assert store.materialised["seg-1"] == {"m1"}
    assert cache.keys == [("t1", "seg-1")]


async def test_a_preview_counts_without_saving_and_refuses_rules_that_cannot_run() -> None:
    store = FakeSegments([GOLD, SILVER])
    assert await segments(store).preview("t1", SegmentRules()) == 2
    assert store.saved == {}
    with pytest.raises(InvalidArgument, match="window_days"):
        await segments(store).preview("t1", SegmentRules(min_orders=2))


async def test_another_tenants_segment_is_not_found() -> None:
    store = FakeSegments()
    await segments(store).create("t1", "All", SegmentRules())
    with pytest.raises(NotFound):
        await segments(store).get("t2", "seg-1")


async def test_a_segments_members_come_in_id_order_a_page_at_a_time_until_the_last() -> None:
    facts = [MemberFacts("t1", f"m{n}") for n in (3, 1, 5, 2, 4)]
    handler = segments(FakeSegments(facts))
    await handler.create("t1", "All", SegmentRules())

    first = await handler.member_page("t1", "seg-1", "", 2)
    second = await handler.member_page("t1", "seg-1", first.next_after, 2)
    last = await handler.member_page("t1", "seg-1", second.next_after, 2)
    exact = await handler.member_page("t1", "seg-1", "", 5)

    assert [first.member_ids, second.member_ids, last.member_ids] == [
        ["m1", "m2"],
        ["m3", "m4"],
        ["m5"],
    ]
    assert (first.next_after, second.next_after, last.next_after) == ("m2", "m4", "")
    assert (exact.member_ids, exact.next_after) == (["m1", "m2", "m3", "m4", "m5"], "")
    assert first.segment.segment_id == "seg-1"


async def test_a_members_page_of_another_tenants_segment_or_too_large_is_refused() -> None:
    handler = segments(FakeSegments([GOLD]))
    await handler.create("t1", "All", SegmentRules())
    with pytest.raises(NotFound):
        await handler.member_page("t2", "seg-1", "", 10)
    with pytest.raises(InvalidArgument, match="page_size"):
        await handler.member_page("t1", "seg-1", "", 10_001)


async def test_the_background_refresh_takes_one_stale_segment_at_a_time() -> None:
    store = FakeSegments([GOLD])
    await store.add(Segment("seg-9", "t1", "All", SegmentRules(), NOW, NOW))
    handler = segments(store)
    assert (await handler.refresh_stale(), await handler.refresh_stale()) == (1, 0)


@dataclass
class FakeHistory:
    known: dict[str, MemberFacts] = field(default_factory=dict)

    async def window_stats(
        self, tenant_id: str, start: datetime, end: datetime
    ) -> dict[str, WindowStats]:
        return {}

    async def orders_between(
        self, tenant_id: str, start: datetime, end: datetime
    ) -> list[OrderRecord]:
        return []

    async def members(self, tenant_id: str) -> frozenset[str]:
        return frozenset(self.known)

    async def facts(self, tenant_id: str, member_id: str) -> MemberFacts | None:
        return self.known.get(member_id)


class NoMemberships:
    async def member_ids(self, tenant_id: str, segment_id: str) -> frozenset[str]:
        return frozenset()

    async def consenting(self, tenant_id: str) -> frozenset[str]:
        return frozenset()


CART = Purchase(
    Member("m1"),
    "pos",
    "S001",
    NOW,
    Decimal("300.00"),
    (Line("SHOE-1", "shoes", 1, Decimal("300.00"), 300),),
    ZoneInfo("Asia/Shanghai"),
)


async def dry_run(conditions: Conditions, facts: MemberFacts | None) -> tuple[bool, int, str]:
    store = FakeStore()
    definition = Definition(
        "Gold double",
        Trigger.PURCHASE,
        None,
        None,
        conditions,
        Effect(EffectType.MULTIPLIER, Decimal(2)),
    )
    await store.add(lifecycle.draft("c1", "t1", definition, NOW))
    history = FakeHistory({} if facts is None else {facts.member_id: facts})
    insights = Insights(store, history, NoMemberships(), FakeAudience(), lambda: NOW)
    run = await insights.dry_run("t1", "c1", CART)
    return run.applies, run.points, run.reason


async def test_a_dry_run_reads_the_members_tier_from_what_the_service_knows() -> None:
    gold_only = Conditions(tiers=frozenset({"gold"}))
    assert await dry_run(gold_only, GOLD) == (True, 300, "")
    assert await dry_run(gold_only, replace(GOLD, tier_code="silver")) == (False, 0, "tier")
    assert await dry_run(gold_only, None) == (False, 0, "tier")


async def test_a_dry_run_knows_whether_it_is_the_members_first_purchase() -> None:
    first_only = Conditions(first_purchase_only=True)
    assert (await dry_run(first_only, replace(GOLD, orders=0)))[0] is True
    assert await dry_run(first_only, replace(GOLD, orders=3)) == (False, 0, "first_purchase_only")
