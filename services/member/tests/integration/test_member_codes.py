"""Member codes issued and resolved by the real service."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

import grpc
import pytest
from grpc import aio

from libs.grpc.errors import error_code_of
from loyalty.member.v1 import member_pb2 as pb

if TYPE_CHECKING:
    from loyalty.member.v1.member_pb2_grpc import MemberServiceAsyncStub


def by_code(tenant: str, code: str) -> pb.LookupMemberRequest:
    return pb.LookupMemberRequest(tenant_id=tenant, identity=pb.Identity(type="code", value=code))


async def test_a_code_resolves_in_its_tenant_and_nowhere_else(
    member: MemberServiceAsyncStub,
) -> None:
    enrolled = await member.EnrollMember(
        pb.EnrollMemberRequest(
            tenant_id="demo",
            channel="app",
            identities=[pb.Identity(type="app_user", value=f"u-{uuid4().hex}")],
        )
    )
    member_id = enrolled.member.member_id
    issued = await member.IssueMemberCode(
        pb.IssueMemberCodeRequest(tenant_id="demo", member_id=member_id)
    )
    lifetime = issued.expires_at.ToSeconds() - enrolled.member.enrolled_at.ToSeconds()

    found = await member.LookupMember(by_code("demo", issued.code))

    assert found.member.member_id == member_id
    assert 55 <= lifetime <= 61
    payload, signature = issued.code.split(".")
    for tenant, code in [("sandbox", issued.code), ("demo", f"{payload}.{signature[:-2]}AA")]:
        with pytest.raises(aio.AioRpcError) as caught:
            await member.LookupMember(by_code(tenant, code))
        assert caught.value.code() is grpc.StatusCode.NOT_FOUND
        assert error_code_of(caught.value) == "member_not_found"
