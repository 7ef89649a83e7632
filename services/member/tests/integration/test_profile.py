"""Profile, attributes and consents against the real service and its sealed storage."""

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

APP = pb.Actor(kind="channel", channel="app", key_id="key_app_1")
SCHEMA = {"shoe_size": "int", "vip": "bool", "anniversary": "date", "nickname": "string"}


async def enrolled(stub: MemberServiceAsyncStub) -> str:
    await stub.PutAttributeSchema(
        pb.PutAttributeSchemaRequest(tenant_id="demo", schema=pb.AttributeSchema(attributes=SCHEMA))
    )
    answer = await stub.EnrollMember(
        pb.EnrollMemberRequest(
            tenant_id="demo",
            channel="app",
            identities=[pb.Identity(type="app_user", value=f"u-{uuid4().hex}")],
            profile=pb.Profile(name="Li Lei"),
        )
    )
    return answer.member.member_id


async def test_typed_attributes_survive_sealing_and_come_back_typed(
    running_member: RunningMember,
) -> None:
    stub = running_member.stub
    member_id = await enrolled(stub)
    profile = pb.Profile(
        typed_attributes={
            "shoe_size": pb.AttributeValue(int_value=42),
            "vip": pb.AttributeValue(bool_value=True),
            "anniversary": pb.AttributeValue(string_value="2020-02-29"),
        },
        email="LI@example.com",
    )
    mask = ["attributes.shoe_size", "attributes.vip", "attributes.anniversary", "email"]

    await stub.UpdateProfile(
        pb.UpdateProfileRequest(
            tenant_id="demo", member_id=member_id, profile=profile, update_mask=mask, actor=APP
        )
    )

    read = (await stub.GetMember(pb.GetMemberRequest(tenant_id="demo", member_id=member_id))).member
    typed = read.profile.typed_attributes
    assert (typed["shoe_size"].int_value, typed["vip"].bool_value) == (42, True)
    assert typed["anniversary"].date_value == "2020-02-29"
    assert dict(read.profile.attributes)["vip"] == "true"
    assert (read.profile.name, read.profile.email) == ("Li Lei", "li@example.com")
    doc = await running_member.db["members"].find_one({"_id": member_id})
    assert doc is not None
    assert "2020-02-29" not in repr(doc)
    audit = await running_member.db["audit"].find_one(
        {"member_id": member_id, "action": "profile.updated"}
    )
    assert audit is not None
    assert sorted(audit["fields"]) == [
        "profile.attributes.anniversary",
        "profile.attributes.shoe_size",
        "profile.attributes.vip",
        "profile.email",
    ]


async def test_an_unknown_attribute_is_invalid_and_changes_nothing(
    running_member: RunningMember,
) -> None:
    stub = running_member.stub
    member_id = await enrolled(stub)
    profile = pb.Profile(name="Han", typed_attributes={"eyes": pb.AttributeValue(string_value="x")})

    with pytest.raises(aio.AioRpcError) as caught:
        await stub.UpdateProfile(
            pb.UpdateProfileRequest(
                tenant_id="demo",
                member_id=member_id,
                profile=profile,
                update_mask=["name", "attributes.eyes"],
                actor=APP,
            )
        )

    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert "profile.attributes.eyes" in (caught.value.details() or "")
    read = await stub.GetMember(pb.GetMemberRequest(tenant_id="demo", member_id=member_id))
    assert read.member.profile.name == "Li Lei"
    assert await running_member.db["audit"].count_documents({"member_id": member_id}) == 1


async def test_consent_changes_are_kept_in_order_with_their_source(
    member: MemberServiceAsyncStub,
) -> None:
    member_id = await enrolled(member)
    for granted in (True, False):
        await member.UpdateConsents(
            pb.UpdateConsentsRequest(
                tenant_id="demo",
                member_id=member_id,
                consents={"marketing": granted},
                source="app_settings",
                actor=APP,
            )
        )
    export = await member.ExportMember(
        pb.ExportMemberRequest(tenant_id="demo", member_id=member_id, actor=APP)
    )
    history = [(c.granted, c.channel, c.source) for c in export.export.consent_history]
    assert history == [(True, "app", "app_settings"), (False, "app", "app_settings")]
    assert [c.granted for c in export.export.member.consents] == [False]


async def test_the_consent_history_is_read_newest_first_on_its_own(
    member: MemberServiceAsyncStub,
) -> None:
    member_id = await enrolled(member)
    for granted in (True, False, True):
        await member.UpdateConsents(
            pb.UpdateConsentsRequest(
                tenant_id="demo",
                member_id=member_id,
                consents={"marketing": granted},
                source="app_settings",
                actor=APP,
            )
        )
    read = await member.ListConsentChanges(
        pb.ListConsentChangesRequest(tenant_id="demo", member_id=member_id, limit=2)
    )
    assert [c.granted for c in read.changes] == [True, False]
    assert all(c.HasField("changed_at") for c in read.changes)
