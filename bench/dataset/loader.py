"""Load the benchmark's members into the member and points databases in bulk.

Each member is enrolled by the member service's own handler and each past order credited
by the points service's own handler, against an in-memory database (`memory.py`); what
they wrote is then copied into the real databases with `insert_many`, a batch of members
at a time. No outbox rows are written: the history is old, and nothing should react to it.
With an `AnalyticsLoad`, the analytics read model gets the same history (`analytics.py`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import bson

from bench.dataset.analytics import AnalyticsLoad, Credited
from bench.dataset.memory import Doc, MemoryDatabase
from bench.dataset.population import PastOrder, Profile, profile
from bench.dataset.units import MemoryUnitOfWork, NoCampaigns
from libs.mongo import Database, MongoClient
from services.member.adapters.crypto import MasterKey, Vault
from services.member.adapters.repositories import MongoRepositories as MemberRepositories
from services.member.adapters.repositories import repositories_factory
from services.member.handlers.enrolment import EnrolMember, enrol_member
from services.member.settings import MemberSettings
from services.points.adapters.repositories import MongoRepositories as PointsRepositories
from services.points.handlers.commands import AccrueLine, AccrueOrder
from services.points.handlers.earning import accrue_order
from services.points.settings import PointsSettings

MEMBER_DB = str(MemberSettings.model_fields["mongo_db"].default)
POINTS_DB = str(PointsSettings.model_fields["mongo_db"].default)
# Small per-tenant documents the handlers read: copied into memory before the load.
MEMBER_KEPT = ("tenant_settings", "tier_programs")
POINTS_KEPT = ("earning_rules",)
INSERT_CHUNK = 1000


@dataclass
class Loaded:
    member_ids: list[str] = field(default_factory=list)
    documents: dict[str, int] = field(default_factory=dict)
    bson_bytes: dict[str, int] = field(default_factory=dict)
    orders: int = 0
    seconds: float = 0.0


async def _kept(db: Database, names: tuple[str, ...]) -> dict[str, list[Doc]]:
    return {name: await db[name].find({}).to_list() for name in names}


class Loader:
    def __init__(
        self,
        client: MongoClient,
        tenant_id: str,
        pii_key: str,
        analytics: AnalyticsLoad | None = None,
    ) -> None:
        self._analytics = analytics
        self._member_db = client[MEMBER_DB]
        self._points_db = client[POINTS_DB]
        self._tenant_id = tenant_id
        self._vault = Vault(MasterKey.from_base64(pii_key))
        self.loaded = Loaded()

    async def run(
        self, count: int, now: datetime, *, batch: int = 500, progress: Callable[[int], None]
    ) -> Loaded:
        started = time.perf_counter()
        members = MemoryDatabase(await _kept(self._member_db, MEMBER_KEPT))
        points = MemoryDatabase(await _kept(self._points_db, POINTS_KEPT))
        member_uow = MemoryUnitOfWork(members, repositories_factory(self._vault))
        points_uow = MemoryUnitOfWork(points, PointsRepositories)
        for first in range(0, count, batch):
            for index in range(first, min(count, first + batch)):
                who = profile(index, now)
                member_id, tier = await self._enrol(who, member_uow)
                credited = [await self._credit(member_id, o, points_uow) for o in who.orders]
                if self._analytics is not None:
                    self._analytics.add(member_id, who, tier, credited)
            await self._flush(MEMBER_DB, self._member_db, members.take())
            await self._flush(POINTS_DB, self._points_db, points.take())
            if self._analytics is not None:
                # The buckets once, after the last batch: the batches add to the same
                # days' buckets, and inserting a bucket costs the server far less than
                # changing one (100,000 members' buckets: about 320,000, 400 MB meanwhile).
                await self._analytics.flush(buckets=first + batch >= count)
            progress(min(count, first + batch))
        self.loaded.seconds = time.perf_counter() - started
        return self.loaded

    async def _enrol(
        self, who: Profile, uow: MemoryUnitOfWork[MemberRepositories]
    ) -> tuple[str, str]:
        """The member's id and the tier it was enrolled in."""
        command = EnrolMember(
            tenant_id=self._tenant_id,
            channel=who.channel,
            store_id=who.store_id,
            identities=list(who.identities),
            consents={"marketing": who.marketing},
        )
        enrolment = await enrol_member(command, uow, clock=lambda: who.enrolled_at)
        member = enrolment.member
        self.loaded.member_ids.append(member.member_id)
        return member.member_id, member.tier.code if member.tier else ""

    async def _credit(
        self, member_id: str, order: PastOrder, uow: MemoryUnitOfWork[PointsRepositories]
    ) -> Credited:
        command = AccrueOrder(
            tenant_id=self._tenant_id,
            order_id=order.order_id,
            member_id=member_id,
            channel=order.channel,
            store_id=order.store_id,
            occurred_at=order.occurred_at,
            currency="CNY",
            total=str(order.total),
            lines=[AccrueLine(sku, cat, qty, str(price)) for sku, cat, qty, price in order.lines],
        )
        answer = await accrue_order(command, uow, NoCampaigns(), clock=lambda: order.occurred_at)
        self.loaded.orders += 1
        return Credited(order, answer.accrual.points_earned, answer.accrual.balance)

    async def _flush(self, db_name: str, db: Database, written: dict[str, list[Doc]]) -> None:
        for name, docs in written.items():
            key = f"{db_name}.{name}"
            self.loaded.documents[key] = self.loaded.documents.get(key, 0) + len(docs)
            size = sum(len(bson.encode(doc)) for doc in docs)
            self.loaded.bson_bytes[key] = self.loaded.bson_bytes.get(key, 0) + size
            for start in range(0, len(docs), INSERT_CHUNK):
                await db[name].insert_many(docs[start : start + INSERT_CHUNK], ordered=False)
