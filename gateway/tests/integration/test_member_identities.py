from __future__ import annotations

import pytest

from gateway.tests.integration.fakes import TAKEN_PREFIX, FakeServices
from gateway.tests.integration.support import Gateway, new_phone, new_tenant
from loyalty.member.v1 import member_pb2


async def enrol(gateway: Gateway, headers: dict[str, str], phone: str) -> str:
    body = {"identities": [{"type": "phone", "value": phone}]}
    response = await gateway.client.post("/v1/members", json=body, headers=headers)
    member_id: str = response.json()["member_id"]
    return member_id


async def test_linking_a_new_identity_answers_201_and_a_held_one_200(
    gateway: Gateway, services: FakeServices
) -> None:
    tenant = new_tenant()
    headers = await gateway.legacy_key(tenant, "app")
    member_id = await enrol(gateway, headers, new_phone())
    card = {"type": "card", "value": "CARD-0001"}

    first = await gateway.client.post(
        f"/v1/members/{member_id}/identities", json=card, headers=headers
    )
    again = await gateway.client.post(
        f"/v1/members/{member_id}/identities", json=card, headers=headers
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert card in first.json()["identities"]
    sent = services.member.calls[-1]
    assert isinstance(sent, member_pb2.LinkIdentityRequest)
    assert (sent.tenant_id, sent.actor.kind, sent.actor.channel) == (tenant, "channel", "app")


async def test_an_identity_held_by_another_member_is_409_identity_taken(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "pos", store_id="S001")
    member_id = await enrol(gateway, headers, new_phone())
    body = {"type": "phone", "value": f"{TAKEN_PREFIX}{new_phone()}"}

    response = await gateway.client.post(
        f"/v1/members/{member_id}/identities", json=body, headers=headers
    )

    assert (response.status_code, response.json()["code"]) == (409, "identity_taken")


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"type": "fax", "value": "1"}, "body.type"),
        ({"type": "card"}, "body.value"),
        ({"type": "card", "value": "C-1", "extra": 1}, "body.extra"),
    ],
)
async def test_a_malformed_identity_is_422_naming_the_field_and_reaches_no_service(
    gateway: Gateway, services: FakeServices, body: dict[str, object], location: str
) -> None:
    headers = await gateway.legacy_key(new_tenant(), "app")
    member_id = await enrol(gateway, headers, new_phone())

    response = await gateway.client.post(
        f"/v1/members/{member_id}/identities", json=body, headers=headers
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == location
    assert services.member.calls == []


async def test_a_key_without_write_scope_is_403_before_its_body_is_read(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "app", scopes=["members:read"])

    response = await gateway.client.post(
        "/v1/members/m1/identities", content=b"not json", headers=headers
    )

    assert response.status_code == 403


async def test_linking_to_a_member_of_another_tenant_is_404(gateway: Gateway) -> None:
    member_id = await enrol(gateway, await gateway.legacy_key(new_tenant(), "app"), new_phone())
    other = await gateway.legacy_key(new_tenant(), "app")

    response = await gateway.client.post(
        f"/v1/members/{member_id}/identities",
        json={"type": "card", "value": "CARD-0002"},
        headers=other,
    )

    assert (response.status_code, response.json()["code"]) == (404, "member_not_found")


async def test_unlinking_answers_the_member_and_refuses_the_last_identity(
    gateway: Gateway,
) -> None:
    headers = await gateway.legacy_key(new_tenant(), "app")
    phone = new_phone()
    member_id = await enrol(gateway, headers, phone)
    await gateway.client.post(
        f"/v1/members/{member_id}/identities",
        json={"type": "email", "value": "li@example.com"},
        headers=headers,
    )

    unlinked = await gateway.client.delete(
        f"/v1/members/{member_id}/identities/email/li@example.com", headers=headers
    )
    last = await gateway.client.delete(
        f"/v1/members/{member_id}/identities/phone/{phone}", headers=headers
    )
    missing = await gateway.client.delete(
        f"/v1/members/{member_id}/identities/card/NOPE-1", headers=headers
    )
    bad_type = await gateway.client.delete(
        f"/v1/members/{member_id}/identities/fax/1", headers=headers
    )

    assert unlinked.status_code == 200
    assert unlinked.json()["identities"] == [{"type": "phone", "value": phone}]
    assert (last.status_code, last.json()["code"]) == (409, "last_identity")
    assert (missing.status_code, missing.json()["code"]) == (404, "identity_not_found")
    assert (bad_type.status_code, bad_type.json()["errors"][0]["location"]) == (422, "path.type")
