"""Where the days come from: the member service's time zone, remembered for rebuilds and
for the member service's absences."""

from __future__ import annotations

from typing import Any

import pytest
from grpc import aio

from libs.mongo import Database, MongoClient
from libs.stack.handle import LOOPBACK
from libs.stack.servers import free_port
from services.analytics.adapters.zones import MemberTimeZones, StoredTimeZones
from services.analytics.tests.integration.conftest import ZONE


async def test_a_zone_learned_from_the_member_service_is_kept_and_used_while_it_is_away(
    member_addr: str, analytics_db: tuple[MongoClient, Database], tenant: str
) -> None:
    _, db = analytics_db
    async with aio.insecure_channel(member_addr) as channel:
        learned = await MemberTimeZones(channel, db).time_zone(tenant)
    async with aio.insecure_channel(f"{LOOPBACK}:{free_port()}") as nowhere:
        away = MemberTimeZones(nowhere, db, timeout_seconds=0.5)
        remembered = await away.time_zone(tenant)
        with pytest.raises(aio.AioRpcError):
            await away.time_zone(tenant + "-never-seen")

    assert learned == remembered == ZONE
    assert await StoredTimeZones(db).time_zone(tenant) == ZONE


async def test_a_tenant_never_seen_is_utc_to_a_rebuild(analytics_db: Any, tenant: str) -> None:
    _, db = analytics_db

    assert await StoredTimeZones(db).time_zone(tenant) == "UTC"
