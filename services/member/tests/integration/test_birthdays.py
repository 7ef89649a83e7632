"""Birthday campaigns' question, over the member service as deployed: who was born on a day."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

import grpc
import pytest
from grpc import aio

from loyalty.member.v1 import member_pb2 as pb
from services.member.tests.integration.conftest import RunningMember

if TYPE_CHECKING:
    from loyalty.member.v1.member_pb2_grpc import MemberServiceAsyncStub


async def enrol(
    stub: MemberServiceAsyncStub, tenant: str, birthday: str, *, marketing: bool
) -> str:
    answer = await stub.EnrollMember(
        pb.EnrollMemberRequest(
            tenant_id=tenant,
            channel="app",
            identities=[pb.Identity(type="app_user", value=f"u-{uuid4().hex}")],
            profile=pb.Profile(name="Han Meimei", birthday=birthday),
            consents={"marketing": marketing},
        )
    )
    return answer.member.member_id


async def born_on(
    stub: MemberServiceAsyncStub,
    tenant: str,
    month: int,
    day: int,
    *,
    consented_to: str = "",
    limit: int = 0,
) -> list[str]:
    ids: list[str] = []
    cursor = ""
    while True:
        request = pb.ListBirthdayMembersRequest(
            tenant_id=tenant,
            month=month,
            day=day,
            consented_to=consented_to,
            limit=limit,
            cursor=cursor,
        )
        page = await stub.ListBirthdayMembers(request)
        ids += page.member_ids
        cursor = page.next_cursor
        if not cursor:
            return ids


async def test_members_born_on_a_day_are_listed_by_id_page_by_page_and_by_consent(
    running_member: RunningMember,
) -> None:
    stub, tenant = running_member.stub, f"t-{uuid4().hex[:8]}"
    consenting = [await enrol(stub, tenant, f"19{80 + i}-05-01", marketing=True) for i in range(3)]
    silent = await enrol(stub, tenant, "1991-05-01", marketing=False)
    await enrol(stub, tenant, "1991-05-02", marketing=True)

    everyone = await born_on(stub, tenant, 5, 1, limit=2)
    with_consent = await born_on(stub, tenant, 5, 1, consented_to="marketing")

    assert everyone == sorted([*consenting, silent])
    assert with_consent == sorted(consenting)
    assert await born_on(stub, "another-tenant", 5, 1) == []


async def test_an_erased_member_is_listed_no_more_and_keeps_no_birthday(
    running_member: RunningMember,
) -> None:
    stub, tenant = running_member.stub, f"t-{uuid4().hex[:8]}"
    member_id = await enrol(stub, tenant, "1992-02-29", marketing=True)
    assert await born_on(stub, tenant, 2, 29) == [member_id]

    operator = pb.Actor(kind="operator", channel="operator", key_id="key_op_1")
    await stub.EraseMember(
        pb.EraseMemberRequest(tenant_id=tenant, member_id=member_id, actor=operator)
    )

    assert await born_on(stub, tenant, 2, 29) == []
    stored = await running_member.db["members"].find_one({"_id": member_id}) or {}
    assert "birthday_md" not in stored


@pytest.mark.parametrize(("month", "day"), [(2, 30), (13, 1), (0, 0)])
async def test_a_day_no_year_has_is_refused(
    member: MemberServiceAsyncStub, month: int, day: int
) -> None:
    with pytest.raises(aio.AioRpcError) as refused:
        await member.ListBirthdayMembers(
            pb.ListBirthdayMembersRequest(tenant_id="demo", month=month, day=day)
        )
    assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT


async def test_a_tenant_that_never_set_its_settings_is_on_utc(
    member: MemberServiceAsyncStub,
) -> None:
    fresh = await member.GetTenantSettings(pb.GetTenantSettingsRequest(tenant_id=uuid4().hex))
    demo = await member.GetTenantSettings(pb.GetTenantSettingsRequest(tenant_id="demo"))
    assert (fresh.settings.time_zone, demo.settings.time_zone) == ("UTC", "Asia/Shanghai")
