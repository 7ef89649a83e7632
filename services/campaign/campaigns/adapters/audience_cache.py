"""Segment memberships kept in memory per tenant, so an order never waits on a database
read for its campaigns' segments: each set is read again at most every `max_age`
(memberships change only when a segment is refreshed), and at once after this replica
saved the segment. Marketing consent, asked only for contacting campaigns, is one read
of the member's facts by key."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial

from libs.clock import Clock
from services.campaign.campaigns.adapters.segments import MongoSegments
from services.campaign.campaigns.domain.audience import MemberAudience


class CachedAudience:
    def __init__(
        self,
        segments: MongoSegments,
        clock: Clock,
        max_age: timedelta = timedelta(seconds=30),
    ) -> None:
        self._segments = segments
        self._clock = clock
        self._max_age = max_age
        self._sets: dict[tuple[str, str], tuple[frozenset[str], datetime]] = {}
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    async def _set(
        self, tenant_id: str, name: str, load: Callable[[], Awaitable[frozenset[str]]]
    ) -> frozenset[str]:
        key = (tenant_id, name)
        entry = self._sets.get(key)
        if entry is not None and self._clock() - entry[1] < self._max_age:
            return entry[0]
        async with self._locks.setdefault(key, asyncio.Lock()):
            entry = self._sets.get(key)
            if entry is None or self._clock() - entry[1] >= self._max_age:
                entry = (await load(), self._clock())
                self._sets[key] = entry
            return entry[0]

    async def member_audience(
        self, tenant_id: str, member_id: str, segment_ids: frozenset[str], consent: bool
    ) -> MemberAudience:
        held = set()
        for segment_id in segment_ids:
            load = partial(self._segments.member_ids, tenant_id, segment_id)
            members = await self._set(tenant_id, segment_id, load)
            if member_id in members:
                held.add(segment_id)
        # Consent is read for the member alone, never cached: a new member's consent counts
        # from their first purchase, and a withdrawn one stops contact at once.
        consenting = consent and await self._segments.consents_now(tenant_id, member_id)
        return MemberAudience(frozenset(held), consenting)

    def forget(self, tenant_id: str, segment_id: str) -> None:
        self._sets.pop((tenant_id, segment_id), None)
