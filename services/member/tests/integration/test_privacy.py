"""Personal data at rest, erasure and export, read back from the raw database."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from uuid import uuid4

import bson
import grpc
import nats
import pytest
from grpc import aio

from libs.grpc.errors import error_code_of
from libs.mongo import Database
from loyalty.member.v1 import events_pb2
from loyalty.member.v1 import member_pb2 as pb
from services.member.tests.integration.conftest import RunningMember

if TYPE_CHECKING:
    from loyalty.member.v1.member_pb2_grpc import MemberServiceAsyncStub

OPERATOR = pb.Actor(kind="operator", channel="operator", key_id="key_op_1")


def person() -> dict[str, str]:
    tag = uuid4().hex[:10]
    return {
        "phone": f"+86139{uuid4().int % 10**8:08d}",
        "email": f"li.{tag}@example.com",
        "profile_email": f"lei.{tag}@example.org",
        "name": f"Li Lei {tag}",
        "birthday": "1990-05-01",
        "unionid": f"oU_{tag}",
    }


def enrolment(who: dict[str, str]) -> pb.EnrollMemberRequest:
    return pb.EnrollMemberRequest(
        tenant_id="demo",
        channel="pos",
        store_id="S001",
        identities=[
            pb.Identity(type="phone", value=who["phone"]),
            pb.Identity(type="email", value=who["email"]),
        ],
        profile=pb.Profile(name=who["name"], birthday=who["birthday"], email=who["profile_email"]),
        consents={"marketing": True},
    )


async def raw_bytes(db: Database) -> bytes:
    """Every document of every collection of the member database, as stored BSON."""
    chunks = []
    for name in await db.list_collection_names():
        async for doc in db[name].find({}):
            chunks.append(bson.encode(doc))
    return b"".join(chunks)


def personal_values(who: dict[str, str]) -> list[bytes]:
    values = [who["phone"], who["phone"][3:], who["email"], who["profile_email"], who["name"]]
    values += [who["unionid"], "Li Lei"]
    return [v.encode() for v in values] + [b"1990-05-01"]


async def test_personal_data_is_never_stored_in_plaintext(running_member: RunningMember) -> None:
    who = person()
    answer = await running_member.stub.EnrollMember(enrolment(who))
    await running_member.stub.LinkIdentity(
        pb.LinkIdentityRequest(
            tenant_id="demo",
            member_id=answer.member.member_id,
            identity=pb.Identity(type="wechat_unionid", value=who["unionid"]),
            actor=OPERATOR,
        )
    )
    stored = await raw_bytes(running_member.db)
    assert answer.member.member_id.encode() in stored  # we are reading the right database
    assert answer.member.profile.name == who["name"]  # and the service still reads it
    for value in personal_values(who):
        assert value not in stored, value


async def test_erasure_leaves_no_personal_value_and_frees_the_identities(
    running_member: RunningMember,
) -> None:
    stub, who = running_member.stub, person()
    member_id = (await stub.EnrollMember(enrolment(who))).member.member_id
    key_row = await running_member.db["data_keys"].find_one({"_id": member_id})
    assert key_row is not None

    erased = await stub.EraseMember(
        pb.EraseMemberRequest(tenant_id="demo", member_id=member_id, actor=OPERATOR)
    )

    assert erased.member.status == "erased"
    assert not erased.member.identities
    assert not erased.member.profile.name
    assert await running_member.db["data_keys"].find_one({"_id": member_id}) is None
    doc = await running_member.db["members"].find_one({"_id": member_id})
    assert doc is not None
    assert "sealed" not in doc
    assert await running_member.db["identities"].count_documents({"member_id": member_id}) == 0
    stored = await raw_bytes(running_member.db)
    for value in personal_values(who):
        assert value not in stored, value
    read = await stub.GetMember(pb.GetMemberRequest(tenant_id="demo", member_id=member_id))
    assert (read.member.status, read.member.profile.name) == ("erased", "")
    with pytest.raises(aio.AioRpcError) as caught:
        await stub.LookupMember(
            pb.LookupMemberRequest(
                tenant_id="demo", identity=pb.Identity(type="phone", value=who["phone"])
            )
        )
    assert caught.value.code() is grpc.StatusCode.NOT_FOUND
    again = await stub.EnrollMember(enrolment(who))
    assert again.created
    assert again.member.member_id != member_id


async def test_erasure_is_announced_once_and_a_second_erasure_changes_nothing(
    running_member: RunningMember, nats_url: str
) -> None:
    stub = running_member.stub
    member_id = (await stub.EnrollMember(enrolment(person()))).member.member_id
    request = pb.EraseMemberRequest(tenant_id="demo", member_id=member_id, actor=OPERATOR)
    await stub.EraseMember(request)
    second = await stub.EraseMember(request)
    assert second.member.status == "erased"
    nc = await nats.connect(nats_url)
    try:
        sub = await nc.jetstream().subscribe("loyalty.demo.member.erased", ordered_consumer=True)
        async with asyncio.timeout(10):
            while True:
                msg = await sub.next_msg(timeout=10)
                event = events_pb2.MemberErased.FromString(msg.data)
                if event.member_id == member_id:
                    break
        assert event.meta.type == "member.erased"
    finally:
        await nc.close()
    erasures = await running_member.db["outbox"].count_documents(
        {"event_type": "member.erased", "tenant_id": "demo"}
    )
    audit = await running_member.db["audit"].count_documents(
        {"member_id": member_id, "action": "member.erased"}
    )
    assert (erasures, audit) == (1, 1)


async def test_another_tenant_cannot_erase_or_export_a_member(
    member: MemberServiceAsyncStub,
) -> None:
    member_id = (await member.EnrollMember(enrolment(person()))).member.member_id
    for call in (
        member.EraseMember(
            pb.EraseMemberRequest(tenant_id="sandbox", member_id=member_id, actor=OPERATOR)
        ),
        member.ExportMember(
            pb.ExportMemberRequest(tenant_id="sandbox", member_id=member_id, actor=OPERATOR)
        ),
    ):
        with pytest.raises(aio.AioRpcError) as caught:
            await call
        assert caught.value.code() is grpc.StatusCode.NOT_FOUND
        assert error_code_of(caught.value) == "member_not_found"
    read = await member.GetMember(pb.GetMemberRequest(tenant_id="demo", member_id=member_id))
    assert read.member.status == "active"


async def test_an_export_holds_profile_identities_and_every_history(
    member: MemberServiceAsyncStub,
) -> None:
    who = person()
    member_id = (await member.EnrollMember(enrolment(who))).member.member_id
    await member.UpdateConsents(
        pb.UpdateConsentsRequest(
            tenant_id="demo",
            member_id=member_id,
            consents={"marketing": False},
            channel="app",
            source="app_settings",
            actor=pb.Actor(kind="channel", channel="app", key_id="key_app_1"),
        )
    )
    export = (
        await member.ExportMember(
            pb.ExportMemberRequest(tenant_id="demo", member_id=member_id, actor=OPERATOR)
        )
    ).export
    assert export.member.profile.name == who["name"]
    assert {i.value for i in export.member.identities} == {who["phone"], who["email"]}
    history = [(c.granted, c.channel, c.source) for c in export.consent_history]
    assert history == [(True, "pos", "enrolment"), (False, "app", "app_settings")]
    assert [(t.from_tier, t.reason) for t in export.tier_history] == [("", "enrolment")]
    actions = [a.action for a in export.audit]
    assert actions == ["member.enrolled", "consents.updated", "member.exported"]
    assert export.audit[1].actor.key_id == "key_app_1"
