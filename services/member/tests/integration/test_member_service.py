"""The member service as deployed: its composition root over real MongoDB and NATS."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from uuid import uuid4

import grpc
import nats
import pytest
from grpc import aio

from libs.grpc.errors import error_code_of
from loyalty.member.v1 import events_pb2
from loyalty.member.v1 import member_pb2 as pb

if TYPE_CHECKING:
    from loyalty.member.v1.member_pb2_grpc import MemberServiceAsyncStub


def unique_phone() -> str:
    return f"+86139{uuid4().int % 10**8:08d}"


def enrolment(phone: str, channel: str = "pos", tenant: str = "demo") -> pb.EnrollMemberRequest:
    return pb.EnrollMemberRequest(
        tenant_id=tenant,
        channel=channel,
        store_id="S001" if channel == "pos" else "",
        identities=[pb.Identity(type="phone", value=phone)],
    )


async def test_two_channels_enrolling_one_person_at_the_same_instant_get_one_member(
    member: MemberServiceAsyncStub,
) -> None:
    phone = unique_phone()
    channels = ["pos", "app", "miniprogram", "ecommerce"] * 3
    answers = await asyncio.gather(*(member.EnrollMember(enrolment(phone, c)) for c in channels))
    assert len({a.member.member_id for a in answers}) == 1
    assert sum(a.created for a in answers) == 1


async def test_an_enrolment_publishes_member_enrolled_to_the_stream(
    member: MemberServiceAsyncStub, nats_url: str
) -> None:
    answer = await member.EnrollMember(enrolment(unique_phone()))
    member_id = answer.member.member_id
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        sub = await js.subscribe("loyalty.demo.member.enrolled", ordered_consumer=True)
        event = None
        async with asyncio.timeout(10):
            while event is None or event.member_id != member_id:
                msg = await sub.next_msg(timeout=10)
                event = events_pb2.MemberEnrolled.FromString(msg.data)
        assert msg.headers is not None
        assert msg.headers["Nats-Msg-Id"] == event.meta.event_id
        assert event.meta.type == "member.enrolled"
        assert event.channel == "pos"
        assert event.identity_types == ["phone"]
    finally:
        await nc.close()


async def test_a_member_is_not_found_from_another_tenant(member: MemberServiceAsyncStub) -> None:
    answer = await member.EnrollMember(enrolment(unique_phone()))
    with pytest.raises(aio.AioRpcError) as caught:
        await member.GetMember(
            pb.GetMemberRequest(tenant_id="sandbox", member_id=answer.member.member_id)
        )
    assert caught.value.code() is grpc.StatusCode.NOT_FOUND
    assert error_code_of(caught.value) == "member_not_found"


async def test_a_malformed_identity_is_invalid_and_enrols_nobody(
    member: MemberServiceAsyncStub,
) -> None:
    with pytest.raises(aio.AioRpcError) as caught:
        await member.EnrollMember(
            pb.EnrollMemberRequest(
                tenant_id="demo",
                channel="app",
                identities=[
                    pb.Identity(type="card", value="CARD-77777"),
                    pb.Identity(type="email", value="not-an-email"),
                ],
            )
        )
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert "identities[1].value" in (caught.value.details() or "")
    with pytest.raises(aio.AioRpcError):
        await member.LookupMember(
            pb.LookupMemberRequest(
                tenant_id="demo", identity=pb.Identity(type="card", value="CARD-77777")
            )
        )


async def test_a_tier_program_is_versioned_and_new_members_start_in_its_entry_tier(
    member: MemberServiceAsyncStub,
) -> None:
    program = pb.TierProgram(
        tiers=[
            pb.Tier(code="member", name="Member", threshold=0, multiplier="1"),
            pb.Tier(code="gold", name="Gold", threshold=5000, multiplier="1.5"),
        ],
        qualifying_metric="points_earned",
        window_days=365,
        downgrade_grace_days=30,
    )
    first = await member.PutTierProgram(pb.PutTierProgramRequest(tenant_id="demo", program=program))
    second = await member.PutTierProgram(
        pb.PutTierProgramRequest(tenant_id="demo", program=program)
    )
    assert second.program.version == first.program.version + 1
    answer = await member.EnrollMember(enrolment(unique_phone()))
    assert (answer.member.tier.code, answer.member.tier.multiplier) == ("member", "1")
