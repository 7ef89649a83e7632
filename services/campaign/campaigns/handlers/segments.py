"""Operators' segments: save, read, preview; memberships refreshed in the background; a
segment's members a page at a time for other services."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from libs.clock import Clock
from libs.errors import InvalidArgument
from services.campaign.campaigns.domain.errors import SegmentNotFound
from services.campaign.campaigns.domain.segments import Segment, SegmentRules, validate


class SegmentStore(Protocol):
    async def add(self, segment: Segment) -> None: ...
    async def save(self, segment: Segment) -> None: ...
    async def get(self, tenant_id: str, segment_id: str) -> Segment | None: ...
    async def list(self, tenant_id: str) -> list[Segment]: ...
    async def members(self, tenant_id: str, rules: SegmentRules, now: datetime) -> set[str]: ...
    async def materialise(self, segment: Segment, now: datetime) -> int: ...
    async def claim_stale(self, now: datetime, max_age: timedelta) -> Segment | None: ...
    async def member_page(
        self, tenant_id: str, segment_id: str, after: str, limit: int
    ) -> Sequence[str]: ...


MEMBER_PAGE = 5_000
MAX_MEMBER_PAGE = 10_000


@dataclass(frozen=True)
class MemberPage:
    """A page of a segment's materialised members in id order; `next_after` is where
    the next page starts, empty after the last."""

    segment: Segment
    member_ids: list[str]
    next_after: str


class Forget(Protocol):
    def forget(self, tenant_id: str, segment_id: str) -> None: ...


@dataclass(frozen=True)
class Segments:
    store: SegmentStore
    clock: Clock
    new_id: Callable[[], str]
    cache: Forget
    max_age: timedelta = timedelta(minutes=15)

    async def _materialised(self, segment: Segment) -> Segment:
        now = self.clock()
        size = await self.store.materialise(segment, now)
        self.cache.forget(segment.tenant_id, segment.segment_id)
        return replace(segment, size=size, refreshed_at=now)

    async def create(self, tenant_id: str, name: str, rules: SegmentRules) -> Segment:
        validate(name, rules)
        now = self.clock()
        segment = Segment(self.new_id(), tenant_id, name, rules, now, now)
        await self.store.add(segment)
        return await self._materialised(segment)

    async def get(self, tenant_id: str, segment_id: str) -> Segment:
        segment = await self.store.get(tenant_id, segment_id) if segment_id else None
        if segment is None:
            raise SegmentNotFound(segment_id)
        return segment

    async def update(
        self, tenant_id: str, segment_id: str, name: str, rules: SegmentRules
    ) -> Segment:
        validate(name, rules)
        current = await self.get(tenant_id, segment_id)
        segment = replace(current, name=name, rules=rules, updated_at=self.clock())
        await self.store.save(segment)
        return await self._materialised(segment)

    async def list(self, tenant_id: str) -> list[Segment]:
        return await self.store.list(tenant_id)

    async def member_page(
        self, tenant_id: str, segment_id: str, after: str, size: int = 0
    ) -> MemberPage:
        if not 0 <= size <= MAX_MEMBER_PAGE:
            raise InvalidArgument(f"page_size: from 0 to {MAX_MEMBER_PAGE}")
        segment = await self.get(tenant_id, segment_id)
        limit = size or MEMBER_PAGE
        ids = await self.store.member_page(tenant_id, segment_id, after, limit + 1)
        more = len(ids) > limit
        return MemberPage(segment, list(ids[:limit]), ids[limit - 1] if more else "")

    async def preview(self, tenant_id: str, rules: SegmentRules) -> int:
        validate("preview", rules)
        return len(await self.store.members(tenant_id, rules, self.clock()))

    async def refresh_stale(self) -> int:
        """One stale segment's membership worked out again (a sweep; several replicas
        each lease a different segment)."""
        segment = await self.store.claim_stale(self.clock(), self.max_age)
        if segment is None:
            return 0
        await self._materialised(segment)
        return 1
