"""Who may reverse any captured redemption (the matrix's reversal row), what the points and
member services are told about the caller, and what an enrolment answer may show."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from gateway.matrix import MATRIX
from gateway.members.access import actor_of, may_read
from gateway.members.answers import IdentityOut, MemberOut, ProfileOut
from gateway.points.redemptions_routes import cancel_request
from gateway.points.reversal import may_reverse_any
from gateway.tenancy.keys import OPERATOR_SCOPES, ApiKey, Channel
from loyalty.member.v1 import member_pb2


def caller(
    channel: Channel, role: str | None = None, store_id: str | None = None, *stores: str
) -> ApiKey:
    touchpoint = frozenset({"points:write", "members:write"})
    scopes = frozenset(OPERATOR_SCOPES) if channel == "operator" else touchpoint
    return ApiKey(
        "key_1", "demo", channel, scopes, datetime.now(UTC), store_id, role=role, stores=stores
    )


def request() -> Any:
    return SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(matrix=MATRIX)))


@pytest.mark.parametrize(
    ("who", "may"),
    [
        (caller("operator", "admin"), True),
        (caller("operator", "support"), True),
        (caller("operator", "store_manager", None, "S001"), True),
        (caller("operator", None), True),  # an operator key without a role is admin
        (caller("operator", "marketer"), False),
        (replace(caller("operator", "admin"), scopes=frozenset({"points:write"})), False),
        (caller("pos", None, "S001"), False),
        (caller("ecommerce"), False),
    ],
)
def test_only_operators_with_the_reversal_row_may_reverse_any_redemption(
    who: ApiKey, may: bool
) -> None:
    assert may_reverse_any(request(), who) is may


def test_a_cancel_tells_the_points_service_the_key_channel_and_bound_store() -> None:
    rpc = cancel_request(caller("pos", None, "S002"), "rd_1", may_reverse_any=False)

    assert (rpc.actor.channel, rpc.actor.store_id, rpc.actor.key_id) == ("pos", "S002", "key_1")
    assert (rpc.store_id, rpc.may_reverse_any) == ("S002", False)


def test_the_member_service_hears_the_store_an_enrolment_names_else_the_bound_one() -> None:
    manager = caller("operator", "store_manager", None, "S002")

    assert actor_of(manager, "S002").store_id == "S002"
    assert actor_of(caller("pos", None, "S001")).store_id == "S001"
    assert actor_of(caller("operator", "store_manager", None, "S1", "S2")).store_id == ""


def test_a_store_manager_may_read_only_members_enrolled_at_their_stores() -> None:
    manager = caller("operator", "store_manager", None, "S002")

    assert not may_read(manager, member_pb2.Member(enrolled_store_id="S001"))
    assert may_read(manager, member_pb2.Member(enrolled_store_id="S002"))
    assert may_read(caller("app"), member_pb2.Member(enrolled_store_id="S001"))


def test_an_answer_without_personal_data_keeps_only_what_names_the_member() -> None:
    member = MemberOut(
        member_id="m1",
        status="active",
        identities=[IdentityOut(type="phone", value="+8613800000001")],
        profile=ProfileOut(name="Li Lei"),
        consents={"marketing": True},
        tier=None,
        enrolled_channel="pos",
        created=False,
    )

    body = member.without_personal_data().to_json()

    assert body == {
        "member_id": "m1",
        "status": "active",
        "identities": [],
        "profile": {},
        "consents": {},
        "tier": None,
        "enrolled_channel": "pos",
        "created": False,
    }
