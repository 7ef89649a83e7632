from __future__ import annotations

import pytest

from gateway.tests.integration.fake_membership import UNKNOWN_ATTRIBUTE
from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.support import Gateway, new_phone, new_tenant
from loyalty.member.v1 import member_pb2


async def enrol(gateway: Gateway, headers: dict[str, str]) -> str:
    body = {
        "identities": [{"type": "phone", "value": new_phone()}],
        "profile": {"name": "Li Lei", "birthday": "1990-05-01"},
    }
    response = await gateway.client.post("/v1/members", json=body, headers=headers)
    member_id: str = response.json()["member_id"]
    return member_id


async def test_a_profile_patch_sends_only_the_fields_given_with_null_clearing(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = await gateway.legacy_key(new_tenant(), "app")
    member_id = await enrol(gateway, headers)
    body = {
        "email": "li@example.com",
        "birthday": None,
        "attributes": {"shoe_size": 42, "vip": True},
    }

    response = await gateway.client.patch(
        f"/v1/members/{member_id}/profile", json=body, headers=headers
    )

    assert response.status_code == 200, response.text
    profile = response.json()["profile"]
    assert profile == {
        "name": "Li Lei",
        "email": "li@example.com",
        "attributes": {"shoe_size": 42, "vip": True},
    }
    sent = services.member.calls[-1]
    assert isinstance(sent, member_pb2.UpdateProfileRequest)
    assert sorted(sent.update_mask) == [
        "attributes.shoe_size",
        "attributes.vip",
        "birthday",
        "email",
    ]
    assert sent.profile.typed_attributes["shoe_size"].int_value == 42
    assert sent.actor.channel == "app"


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"birthday": "1990-13-01"}, "body.birthday"),
        ({"gender": "robot"}, "body.gender"),
        ({"email": "nope"}, "body.email"),
        ({"attributes": {"size": 4.5}}, "body.attributes.size"),
        ({"nickname": "x"}, "body.nickname"),
    ],
)
async def test_a_malformed_patch_is_422_naming_the_field_and_reaches_no_service(
    gateway: Gateway, services: FakeServices, body: dict[str, object], location: str
) -> None:
    headers = await gateway.legacy_key(new_tenant(), "app")
    member_id = await enrol(gateway, headers)

    response = await gateway.client.patch(
        f"/v1/members/{member_id}/profile", json=body, headers=headers
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["location"].startswith(location)
    assert services.member.calls == []


async def test_an_attribute_the_tenant_does_not_know_is_422_from_the_service(
    gateway: Gateway,
) -> None:
    headers = await gateway.legacy_key(new_tenant(), "app")
    member_id = await enrol(gateway, headers)
    body = {"attributes": {f"{UNKNOWN_ATTRIBUTE}_colour": "blue"}}

    response = await gateway.client.patch(
        f"/v1/members/{member_id}/profile", json=body, headers=headers
    )

    assert (response.status_code, response.json()["code"]) == (422, "validation_error")
    assert "unknown_colour" in response.json()["detail"]


async def test_consents_are_recorded_with_the_key_s_channel_and_the_source(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = await gateway.legacy_key(new_tenant(), "miniprogram")
    member_id = await enrol(gateway, headers)
    body = {"consents": {"marketing": False, "profiling": True}, "source": "privacy_page"}

    response = await gateway.client.put(
        f"/v1/members/{member_id}/consents", json=body, headers=headers
    )

    assert response.status_code == 200
    assert response.json()["consents"] == {"marketing": False, "profiling": True}
    sent = services.member.calls[-1]
    assert isinstance(sent, member_pb2.UpdateConsentsRequest)
    assert (sent.channel, sent.source) == ("miniprogram", "privacy_page")


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"consents": {}}, "body.consents"),
        ({"consents": {"spam": True}}, "body.consents.spam"),
        ({"consents": {"marketing": "yes"}}, "body.consents.marketing"),
        ({"consents": {"marketing": True}, "source": "Paper Form"}, "body.source"),
        ({"consents": {"marketing": True}, "channel": "pos"}, "body.channel"),
    ],
)
async def test_a_malformed_consent_change_is_422_and_reaches_no_service(
    gateway: Gateway, services: FakeServices, body: dict[str, object], location: str
) -> None:
    headers = await gateway.legacy_key(new_tenant(), "app")
    member_id = await enrol(gateway, headers)

    response = await gateway.client.put(
        f"/v1/members/{member_id}/consents", json=body, headers=headers
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["location"].startswith(location)
    assert services.member.calls == []


async def test_an_operator_sets_the_attribute_schema_and_a_touchpoint_may_not(
    gateway: Gateway,
) -> None:
    tenant = new_tenant()
    operator, app = await gateway.key(tenant, "operator"), await gateway.legacy_key(tenant, "app")
    schema = {"attributes": {"shoe_size": "int", "vip": "bool"}}

    put = await gateway.client.put("/v1/admin/member-attributes", json=schema, headers=operator)
    read = await gateway.client.get("/v1/admin/member-attributes", headers=operator)
    refused = await gateway.client.put("/v1/admin/member-attributes", json=schema, headers=app)
    bad = await gateway.client.put(
        "/v1/admin/member-attributes", json={"attributes": {"x": "float"}}, headers=operator
    )

    assert (put.status_code, put.json()) == (200, schema)
    assert read.json() == schema
    assert refused.status_code == 403
    assert (bad.status_code, bad.json()["errors"][0]["location"]) == (422, "body.attributes.x")
