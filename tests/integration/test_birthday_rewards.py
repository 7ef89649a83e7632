"""The birthday job over the real member and points services: two replicas at once, and
a run again the same day, pay each member's birthday bonus once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from functools import partial
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from grpc import aio

from libs.clock import utc_now
from libs.mongo import MongoClient, make_client
from libs.runtime import started_service
from libs.tests.integration.support import random_name
from loyalty.member.v1 import member_pb2 as mpb
from loyalty.member.v1.member_pb2_grpc import MemberServiceStub
from services.campaign.campaigns.adapters.birthday_runs import (
    RUNS,
    MongoBirthdayRuns,
    ensure_birthday_run_indexes,
)
from services.campaign.campaigns.adapters.clients.member import GrpcMemberDirectory
from services.campaign.campaigns.adapters.daily_runs import MongoDailyRuns
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.handlers.birthdays import BirthdayJob
from services.member.adapters.crypto import MasterKey
from services.member.entrypoints.main import build as build_member
from services.member.settings import MemberSettings
from tests.integration.campaign_rewards import (
    CampaignSide,
    bonus_campaign,
    campaign_points,
    campaign_side,
    points_service,
)

ZONE = "Asia/Shanghai"


@pytest.fixture
async def mongo(mongo_url: str) -> AsyncIterator[MongoClient]:
    client: MongoClient = make_client(mongo_url, app_name="campaign-birthday-tests")
    yield client
    await client.close()


@asynccontextmanager
async def member_service(urls: dict[str, str], tenant: str) -> AsyncIterator[aio.Channel]:
    settings = MemberSettings(
        mongo_url=urls["mongo"],
        nats_url=urls["nats"],
        redis_url=urls["redis"],
        mongo_db=f"member_{uuid4().hex[:8]}",
        member_pii_key=MasterKey.generate().to_base64(),
        shutdown_grace_seconds=1,
    )
    async with (
        started_service("member", settings, build_member, listen="127.0.0.1:0") as server,
        aio.insecure_channel(f"127.0.0.1:{server.port}") as channel,
    ):
        stub = MemberServiceStub(channel)
        zone = mpb.TenantSettings(default_region="CN", time_zone=ZONE)
        await stub.PutTenantSettings(mpb.PutTenantSettingsRequest(tenant_id=tenant, settings=zone))
        yield channel


def born_today() -> str:
    today = utc_now().astimezone(ZoneInfo(ZONE)).date()
    year = 1992 if (today.month, today.day) == (2, 29) else 1990
    return date(year, today.month, today.day).isoformat()


def another_day() -> str:
    return "1990-01-02" if born_today().endswith("-01-01") else "1990-01-01"


async def enrol(channel: aio.Channel, tenant: str, birthday: str, *, marketing: bool) -> str:
    answer = await MemberServiceStub(channel).EnrollMember(
        mpb.EnrollMemberRequest(
            tenant_id=tenant,
            channel="app",
            identities=[mpb.Identity(type="app_user", value=f"u-{uuid4().hex}")],
            profile=mpb.Profile(name="Han Meimei", birthday=birthday),
            consents={"marketing": marketing},
        )
    )
    return answer.member.member_id


def a_job(side: CampaignSide, members: aio.Channel, owner: str) -> BirthdayJob:
    runs = MongoBirthdayRuns(side.db, utc_now)
    return BirthdayJob(
        tenants=partial(MongoDailyRuns(side.db).tenants_with, Trigger.BIRTHDAY),
        campaigns=side.active,
        directory=GrpcMemberDirectory(members),
        runs=runs,
        granter=side.rewards,
        clock=utc_now,
        owner=owner,
    )


async def test_the_birthday_job_run_by_two_replicas_and_again_pays_once(
    mongo: MongoClient, mongo_url: str, nats_url: str, redis_url: str
) -> None:
    tenant = random_name()
    urls = {"mongo": mongo_url, "nats": nats_url, "redis": redis_url}
    async with (
        points_service(urls, tenant) as points,
        member_service(urls, tenant) as members,
    ):
        side = await campaign_side(mongo, points)
        await ensure_birthday_run_indexes(side.db)
        await side.active_campaign(tenant, bonus_campaign(Trigger.BIRTHDAY, 50))
        celebrating = [
            await enrol(members, tenant, born_today(), marketing=marketing)
            for marketing in (True, False, True)
        ]
        other_day = await enrol(members, tenant, another_day(), marketing=True)

        both = await asyncio.gather(a_job(side, members, "r1")(), a_job(side, members, "r2")())
        again = await a_job(side, members, "r3")()

        assert sorted(both) == [0, 3]
        assert again == 0
        for member_id in celebrating:
            assert await campaign_points(points, tenant, member_id) == [50]
        assert await campaign_points(points, tenant, other_day) == []
    [run] = await side.db[RUNS].find({}).to_list()
    assert run["state"] == "done"
