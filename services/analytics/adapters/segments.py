"""A segment's members, from the campaign service that keeps them (ListSegmentMembers, a
page at a time), kept in memory per (tenant, segment) at the version of the membership
(its refreshed_at): within `keep_seconds` a read asks nothing; after that it asks for the
segment alone and pages through the members again only when a refresh changed them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from grpc import aio

from libs.logging import get_logger
from loyalty.campaign.v1 import campaign_audience_pb2 as pb
from loyalty.campaign.v1.campaign_pb2_grpc import CampaignServiceStub
from services.analytics.domain.ports import SegmentAudience, SegmentMembers, SegmentsUnavailable

log = get_logger(__name__)
CAMPAIGN_SECONDS = 5.0
KEEP_SECONDS = 60.0
PAGE_SIZE = 10_000
# A refresh between two pages moves members: start again, a few times at most.
ATTEMPTS = 3


@dataclass(frozen=True)
class _Known:
    fresh_until: float
    version: str
    audience: SegmentAudience


def _version(segment: pb.Segment) -> str:
    return segment.refreshed_at.ToJsonString() if segment.HasField("refreshed_at") else ""


class CampaignSegments(SegmentMembers):
    def __init__(
        self,
        channel: aio.Channel,
        *,
        timeout_seconds: float = CAMPAIGN_SECONDS,
        keep_seconds: float = KEEP_SECONDS,
        page_size: int = PAGE_SIZE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stub = CampaignServiceStub(channel)
        self._timeout = timeout_seconds
        self._keep = keep_seconds
        self._page_size = page_size
        self._clock = clock
        self._known: dict[tuple[str, str], _Known] = {}
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    async def audience(self, tenant_id: str, segment_id: str) -> SegmentAudience:
        key = (tenant_id, segment_id)
        async with self._locks.setdefault(key, asyncio.Lock()):
            try:
                return await self._audience(key)
            except aio.AioRpcError as error:
                log.warning(
                    "segment_members_unavailable",
                    tenant_id=tenant_id,
                    segment_id=segment_id,
                    status=error.code().name,
                )
                raise SegmentsUnavailable(segment_id) from error

    async def _audience(self, key: tuple[str, str]) -> SegmentAudience:
        known = self._known.get(key)
        if known is not None and known.fresh_until > self._clock():
            return known.audience
        if known is not None:
            request = pb.GetSegmentRequest(tenant_id=key[0], segment_id=key[1])
            answer = await self._stub.GetSegment(request, timeout=self._timeout)
            if _version(answer.segment) == known.version:
                self._known[key] = _Known(self._clock() + self._keep, known.version, known.audience)
                return known.audience
        version, audience = await self._pages(key)
        self._known[key] = _Known(self._clock() + self._keep, version, audience)
        return audience

    async def _pages(self, key: tuple[str, str]) -> tuple[str, SegmentAudience]:
        """Every page of one version of the membership (the last attempt's, if refreshes
        kept moving it)."""
        for _ in range(ATTEMPTS - 1):
            versions, segment, ids = await self._read_all(key)
            if len(versions) == 1:
                break
        else:
            versions, segment, ids = await self._read_all(key)
        audience = SegmentAudience(frozenset(ids), segment.rules.profiling_consent)
        return _version(segment), audience

    async def _read_all(self, key: tuple[str, str]) -> tuple[set[str], pb.Segment, list[str]]:
        """The versions the pages were read at, the last page's segment, every id."""
        ids: list[str] = []
        versions: set[str] = set()
        token = ""
        while True:
            request = pb.ListSegmentMembersRequest(
                tenant_id=key[0], segment_id=key[1], page_size=self._page_size, page_token=token
            )
            page = await self._stub.ListSegmentMembers(request, timeout=self._timeout)
            versions.add(_version(page.segment))
            ids.extend(page.member_ids)
            token = page.next_page_token
            if not token:
                return versions, page.segment, ids
