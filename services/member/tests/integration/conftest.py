"""The member service as deployed, over real MongoDB and NATS, with a key of its own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import uuid4

import pytest
from grpc import aio

from libs.mongo import Database, make_client
from libs.runtime import started_service
from loyalty.member.v1 import member_pb2 as pb
from loyalty.member.v1.member_pb2_grpc import MemberServiceStub
from services.member.adapters.crypto import MasterKey
from services.member.entrypoints.main import build
from services.member.settings import MemberSettings

if TYPE_CHECKING:
    from loyalty.member.v1.member_pb2_grpc import MemberServiceAsyncStub


PROGRAM = pb.TierProgram(
    tiers=[
        pb.Tier(code="member", name="Member", threshold=0, multiplier="1"),
        pb.Tier(code="silver", name="Silver", threshold=1000, multiplier="1.25"),
        pb.Tier(code="gold", name="Gold", threshold=5000, multiplier="1.5"),
    ],
    qualifying_metric="points_earned",
    window_days=365,
    downgrade_grace_days=0,
)


@dataclass
class RunningMember:
    stub: MemberServiceAsyncStub
    db: Database


@pytest.fixture
async def running_member(
    mongo_url: str, nats_url: str, redis_url: str
) -> AsyncIterator[RunningMember]:
    settings = MemberSettings(
        mongo_url=mongo_url,
        nats_url=nats_url,
        redis_url=redis_url,
        mongo_db=f"member_{uuid4().hex[:8]}",
        member_pii_key=MasterKey.generate().to_base64(),
        outbox_sweep_seconds=0.2,
        tier_job_seconds=0.2,
        shutdown_grace_seconds=1,
    )
    raw = make_client(mongo_url, app_name="member-test-reader")
    async with (
        started_service("member", settings, build, listen="127.0.0.1:0") as server,
        aio.insecure_channel(f"127.0.0.1:{server.port}") as channel,
    ):
        stub = MemberServiceStub(channel)
        await stub.PutTenantSettings(
            pb.PutTenantSettingsRequest(
                tenant_id="demo",
                settings=pb.TenantSettings(default_region="CN", time_zone="Asia/Shanghai"),
            )
        )
        await stub.PutTierProgram(pb.PutTierProgramRequest(tenant_id="demo", program=PROGRAM))
        try:
            yield RunningMember(stub, raw[settings.mongo_db])
        finally:
            await raw.close()


@pytest.fixture
def member(running_member: RunningMember) -> MemberServiceAsyncStub:
    return running_member.stub
