"""Linking and unlinking identities against the real service and database."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from uuid import uuid4

import grpc
import pytest
from grpc import aio

from libs.grpc.errors import error_code_of
from loyalty.member.v1 import member_pb2 as pb

if TYPE_CHECKING:
    from loyalty.member.v1.member_pb2_grpc import MemberServiceAsyncStub

APP = pb.Actor(kind="channel", channel="app", key_id="key_app_1")


def phone() -> str:
    return f"+86139{uuid4().int % 10**8:08d}"


async def enrol(stub: MemberServiceAsyncStub, value: str) -> str:
    answer = await stub.EnrollMember(
        pb.EnrollMemberRequest(
            tenant_id="demo", channel="app", identities=[pb.Identity(type="phone", value=value)]
        )
    )
    return answer.member.member_id


def link(member_id: str, type_: str, value: str) -> pb.LinkIdentityRequest:
    return pb.LinkIdentityRequest(
        tenant_id="demo",
        member_id=member_id,
        identity=pb.Identity(type=type_, value=value),
        actor=APP,
    )


async def failure(call: object) -> aio.AioRpcError:
    with pytest.raises(aio.AioRpcError) as caught:
        await call  # type: ignore[misc]
    return caught.value


async def test_a_member_holds_two_phones_and_is_found_by_either(
    member: MemberServiceAsyncStub,
) -> None:
    first, second = phone(), phone()
    member_id = await enrol(member, first)

    linked = await member.LinkIdentity(link(member_id, "phone", second[3:]))

    assert linked.linked
    assert [i.value for i in linked.member.identities] == [first, second]
    for value in (first, second):
        found = await member.LookupMember(
            pb.LookupMemberRequest(
                tenant_id="demo", identity=pb.Identity(type="phone", value=value)
            )
        )
        assert found.member.member_id == member_id


async def test_two_members_racing_for_one_identity_leave_it_with_exactly_one(
    member: MemberServiceAsyncStub,
) -> None:
    ids = [await enrol(member, phone()) for _ in range(4)]
    card = f"CARD-{uuid4().hex[:10]}"

    answers = await asyncio.gather(
        *(member.LinkIdentity(link(m, "card", card)) for m in ids), return_exceptions=True
    )

    winners = [a for a in answers if isinstance(a, pb.LinkIdentityResponse)]
    losers = [a for a in answers if isinstance(a, aio.AioRpcError)]
    assert len(winners) == 1
    assert {(e.code(), error_code_of(e)) for e in losers} == {
        (grpc.StatusCode.ALREADY_EXISTS, "identity_taken")
    }
    holder = await member.LookupMember(
        pb.LookupMemberRequest(tenant_id="demo", identity=pb.Identity(type="card", value=card))
    )
    assert holder.member.member_id == winners[0].member.member_id


async def test_unlinking_keeps_the_last_identity_and_frees_the_others(
    member: MemberServiceAsyncStub,
) -> None:
    first, second = phone(), phone()
    member_id = await enrol(member, first)
    await member.LinkIdentity(link(member_id, "phone", second))
    unlink = pb.UnlinkIdentityRequest(
        tenant_id="demo",
        member_id=member_id,
        identity=pb.Identity(type="phone", value=second),
        actor=APP,
    )

    left = await member.UnlinkIdentity(unlink)
    last = await failure(
        member.UnlinkIdentity(
            pb.UnlinkIdentityRequest(
                tenant_id="demo",
                member_id=member_id,
                identity=pb.Identity(type="phone", value=first),
                actor=APP,
            )
        )
    )
    again = await failure(member.UnlinkIdentity(unlink))

    assert [i.value for i in left.member.identities] == [first]
    assert (last.code(), error_code_of(last)) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "last_identity",
    )
    assert (again.code(), error_code_of(again)) == (grpc.StatusCode.NOT_FOUND, "identity_not_found")
    assert await enrol(member, second) != member_id
