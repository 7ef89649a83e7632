"""Manual tiers and their expiry by the scheduled job, against the real service and NATS."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import uuid4

import nats
from google.protobuf.timestamp_pb2 import Timestamp

from libs.timestamps import timestamp
from loyalty.member.v1 import events_pb2
from loyalty.member.v1 import member_pb2 as pb
from services.member.tests.integration.conftest import PROGRAM

if TYPE_CHECKING:
    from loyalty.member.v1.member_pb2_grpc import MemberServiceAsyncStub

OPERATOR = pb.Actor(kind="operator", channel="operator", key_id="key_op_1")


def soon(seconds: float) -> Timestamp:
    return timestamp(datetime.now(UTC) + timedelta(seconds=seconds))


async def tier_changes(nats_url: str, member_id: str, count: int) -> list[tuple[str, str, str]]:
    """The first `count` member.tier_changed events of the member, from the stream."""
    nc = await nats.connect(nats_url)
    changes: list[tuple[str, str, str]] = []
    try:
        async with asyncio.timeout(10):
            while True:  # the stream exists once the relay has published
                try:
                    sub = await nc.jetstream().subscribe(
                        "loyalty.demo.member.tier_changed", ordered_consumer=True
                    )
                    break
                except nats.js.errors.NotFoundError:
                    await asyncio.sleep(0.1)
            while len(changes) < count:
                msg = await sub.next_msg(timeout=10)
                event = events_pb2.MemberTierChanged.FromString(msg.data)
                if event.member_id == member_id:
                    changes.append((event.from_tier, event.to_tier, event.reason))
    finally:
        await nc.close()
    return changes


async def test_the_downgrade_policy_is_kept_with_the_program(
    member: MemberServiceAsyncStub,
) -> None:
    program = pb.TierProgram()
    program.CopyFrom(PROGRAM)
    program.downgrade_policy = "one_tier"
    await member.PutTierProgram(pb.PutTierProgramRequest(tenant_id="demo", program=program))
    read = await member.GetTierProgram(pb.GetTierProgramRequest(tenant_id="demo"))
    assert read.program.downgrade_policy == "one_tier"


async def test_a_manual_tier_reverts_by_itself_and_both_changes_are_published(
    member: MemberServiceAsyncStub, nats_url: str
) -> None:
    enrolled = await member.EnrollMember(
        pb.EnrollMemberRequest(
            tenant_id="demo",
            channel="app",
            identities=[pb.Identity(type="app_user", value=f"u-{uuid4().hex}")],
        )
    )
    member_id = enrolled.member.member_id
    set_ = await member.SetManualTier(
        pb.SetManualTierRequest(
            tenant_id="demo",
            member_id=member_id,
            tier_code="gold",
            reason="service recovery",
            until=soon(1.0),
            actor=OPERATOR,
        )
    )
    assert (set_.member.tier.code, set_.member.tier.multiplier) == ("gold", "1.5")
    assert set_.member.tier.manual.previous_code == "member"
    changes = await tier_changes(nats_url, member_id, count=2)
    assert changes == [("member", "gold", "manual"), ("gold", "member", "manual_expired")]
    read = await member.GetMember(pb.GetMemberRequest(tenant_id="demo", member_id=member_id))
    assert (read.member.tier.code, read.member.tier.HasField("manual")) == ("member", False)
