"""Where each tenant's time zone comes from: the member service, which holds the tenant's
settings (asked at most every few minutes per tenant), remembered in the analytics
database so a rebuild needs no other service."""

from __future__ import annotations

import time
from collections.abc import Callable

from grpc import aio

from libs.logging import get_logger
from libs.mongo import Database
from loyalty.member.v1 import member_pb2 as pb
from loyalty.member.v1.member_pb2_grpc import MemberServiceStub
from services.analytics.domain.days import UTC
from services.analytics.domain.ports import TimeZones

log = get_logger(__name__)
ZONES = "zones"
MEMBER_SECONDS = 5.0
KEEP_SECONDS = 300.0


class StoredTimeZones(TimeZones):
    """The zones last learned; UTC for a tenant never seen."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def time_zone(self, tenant_id: str) -> str:
        doc = await self._db[ZONES].find_one({"_id": tenant_id})
        return UTC if doc is None else str(doc.get("zone") or UTC)


class MemberTimeZones(TimeZones):
    def __init__(
        self,
        channel: aio.Channel,
        db: Database,
        *,
        timeout_seconds: float = MEMBER_SECONDS,
        keep_seconds: float = KEEP_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stub = MemberServiceStub(channel)
        self._db = db
        self._timeout = timeout_seconds
        self._keep = keep_seconds
        self._clock = clock
        self._known: dict[str, tuple[float, str]] = {}

    async def time_zone(self, tenant_id: str) -> str:
        now = self._clock()
        known = self._known.get(tenant_id)
        if known is not None and known[0] > now:
            return known[1]
        request = pb.GetTenantSettingsRequest(tenant_id=tenant_id)
        try:
            answer = await self._stub.GetTenantSettings(request, timeout=self._timeout)
        except aio.AioRpcError:
            # The member service away: the zone last learned keeps the consumer going (its
            # events would otherwise run out of redeliveries); a tenant never seen waits.
            stored = await self._db[ZONES].find_one({"_id": tenant_id})
            if stored is None:
                raise
            log.warning("time_zone_from_store", tenant_id=tenant_id)
            return str(stored.get("zone") or UTC)
        zone = answer.settings.time_zone or UTC
        if known is None or known[1] != zone:
            await self._db[ZONES].update_one(
                {"_id": tenant_id}, {"$set": {"zone": zone}}, upsert=True
            )
        self._known[tenant_id] = (now + self._keep, zone)
        return zone
