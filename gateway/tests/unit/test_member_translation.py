from __future__ import annotations

from datetime import UTC, date, datetime

from gateway.members.bodies import EnrollMemberBody
from gateway.members.translate import enroll_request, member_from_proto
from libs.ids import new_id
from libs.timestamps import timestamp
from loyalty.member.v1 import member_pb2

ENROLLED = datetime(2026, 11, 25, 2, 15, 30, tzinfo=UTC)


def a_member(**fields: object) -> member_pb2.Member:
    member = member_pb2.Member(
        member_id=new_id("mem_"),
        tenant_id="demo",
        status="active",
        identities=[member_pb2.Identity(type="phone", value="+8613800000001")],
        profile=member_pb2.Profile(name="Li Lei", birthday="1990-05-01"),
        consents=[
            member_pb2.Consent(purpose="marketing", granted=True, channel="pos"),
            member_pb2.Consent(purpose="profiling", granted=False, channel="pos"),
        ],
        tier=member_pb2.TierState(code="silver", name="Silver", since=timestamp(ENROLLED)),
        enrolled_at=timestamp(ENROLLED),
        enrolled_channel="pos",
        enrolled_store_id="S001",
        version=3,
    )
    for name, value in fields.items():
        setattr(member, name, value)
    return member


def test_a_member_translates_to_the_json_of_the_contract() -> None:
    member = a_member()

    body = member_from_proto(member, created=True).to_json()

    assert body == {
        "member_id": member.member_id,
        "status": "active",
        "identities": [{"type": "phone", "value": "+8613800000001"}],
        "profile": {"name": "Li Lei", "birthday": "1990-05-01"},
        "consents": {"marketing": True, "profiling": False},
        "tier": {"code": "silver", "name": "Silver", "since": "2026-11-25T02:15:30+00:00"},
        "enrolled_at": "2026-11-25T02:15:30+00:00",
        "enrolled_channel": "pos",
        "created": True,
    }


def test_timestamps_carry_an_explicit_offset() -> None:
    body = member_from_proto(a_member()).to_json()

    parsed = datetime.fromisoformat(str(body["enrolled_at"]))
    assert parsed.utcoffset() is not None
    assert parsed == ENROLLED


def test_a_member_read_outside_enrolment_has_no_created_flag() -> None:
    assert "created" not in member_from_proto(a_member()).to_json()


def test_a_member_without_a_tier_answers_tier_null() -> None:
    member = a_member()
    member.ClearField("tier")

    assert member_from_proto(member).to_json()["tier"] is None


def test_merged_into_appears_only_on_a_merged_member() -> None:
    survivor = new_id("mem_")
    merged = member_from_proto(a_member(status="merged", merged_into=survivor)).to_json()
    active = member_from_proto(a_member()).to_json()

    assert (merged["status"], merged["merged_into"]) == ("merged", survivor)
    assert "merged_into" not in active


def test_profile_attributes_come_through_and_empty_profile_fields_are_left_out() -> None:
    member = a_member()
    member.profile.attributes["shoe_size"] = "42"
    member.profile.gender = ""

    profile = member_from_proto(member).to_json()["profile"]

    assert profile == {
        "name": "Li Lei",
        "birthday": "1990-05-01",
        "attributes": {"shoe_size": "42"},
    }


def test_an_enrolment_request_takes_the_tenant_channel_and_store_it_is_given() -> None:
    body = EnrollMemberBody.model_validate(
        {
            "channel": "pos",
            "store_id": "S001",
            "identities": [{"type": "phone", "value": "+8613800000001"}],
            "profile": {"name": "Li Lei", "birthday": "1990-05-01", "attributes": {"k": "v"}},
            "consents": {"marketing": True},
        }
    )

    rpc = enroll_request(body, tenant_id="demo", channel="pos", store_id="S002")

    assert (rpc.tenant_id, rpc.channel, rpc.store_id) == ("demo", "pos", "S002")
    assert [(i.type, i.value) for i in rpc.identities] == [("phone", "+8613800000001")]
    assert (rpc.profile.name, rpc.profile.birthday) == ("Li Lei", date(1990, 5, 1).isoformat())
    assert dict(rpc.profile.attributes) == {"k": "v"}
    assert dict(rpc.consents) == {"marketing": True}
