"""A purchase's member resolution over real MongoDB: by id it reads neither the member's
data key nor its sealed personal data, and answers what a full read would."""

from __future__ import annotations

from uuid import uuid4

from libs.mongo import Database
from loyalty.member.v1 import member_pb2 as pb
from services.member.tests.integration.conftest import RunningMember


def enrolment() -> pb.EnrollMemberRequest:
    phone = f"+86139{uuid4().int % 10**8:08d}"
    return pb.EnrollMemberRequest(
        tenant_id="demo",
        channel="pos",
        store_id="S001",
        identities=[pb.Identity(type="phone", value=phone)],
    )


async def data_key_reads(db: Database) -> int:
    """Commands on the member data keys so far (the server's `top` counters)."""
    totals = (await db.client.admin.command("top"))["totals"]
    return int(totals.get(f"{db.name}.data_keys", {}).get("total", {}).get("count", 0))


async def test_resolving_a_member_by_id_reads_no_personal_data_and_keeps_the_facts(
    running_member: RunningMember,
) -> None:
    member, db = running_member.stub, running_member.db
    request = enrolment()
    request.profile.birthday = "1991-07-09"
    enrolled = (await member.EnrollMember(request)).member
    before = await data_key_reads(db)

    resolved = await member.ResolveMember(
        pb.ResolveMemberRequest(tenant_id="demo", member_id=enrolled.member_id)
    )

    assert await data_key_reads(db) == before
    assert resolved.member_id == enrolled.member_id
    assert resolved.birth_month == 7
    assert resolved.enrolled_store_id == "S001"
    assert resolved.enrolled_at == enrolled.enrolled_at
    assert (resolved.tier.code, resolved.tier.multiplier) == ("member", "1")


async def test_resolving_a_merged_member_by_id_answers_the_survivor(
    running_member: RunningMember,
) -> None:
    member = running_member.stub
    survivor = (await member.EnrollMember(enrolment())).member.member_id
    merged = (await member.EnrollMember(enrolment())).member.member_id
    await member.MergeMembers(
        pb.MergeMembersRequest(
            tenant_id="demo",
            survivor_id=survivor,
            merged_id=merged,
            actor=pb.Actor(kind="operator", channel="operator", key_id="op_test"),
        )
    )

    resolved = await member.ResolveMember(
        pb.ResolveMemberRequest(tenant_id="demo", member_id=merged)
    )

    assert resolved.member_id == survivor
