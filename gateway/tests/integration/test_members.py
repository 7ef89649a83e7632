from __future__ import annotations

from datetime import datetime

from gateway.tests.integration.fakes import TAKEN_PREFIX, FakeServices
from gateway.tests.integration.support import Gateway, new_phone, new_tenant


async def test_enrolling_a_new_member_answers_201_with_the_member(
    gateway: Gateway, services: FakeServices
) -> None:
    tenant = new_tenant()
    headers = await gateway.key(tenant, "pos", store_id="S001")
    phone = new_phone()
    body = {
        "channel": "pos",
        "store_id": "S001",
        "identities": [{"type": "phone", "value": phone}],
        "profile": {"name": "Li Lei", "birthday": "1990-05-01", "email": "li@example.com"},
        "consents": {"marketing": True},
    }

    response = await gateway.client.post("/v1/members", json=body, headers=headers)

    assert response.status_code == 201
    member = response.json()
    assert member["created"] is True
    assert member["status"] == "active"
    assert member["identities"] == [{"type": "phone", "value": phone}]
    assert member["profile"] == {
        "name": "Li Lei",
        "birthday": "1990-05-01",
        "email": "li@example.com",
    }
    assert member["consents"] == {"marketing": True}
    assert member["tier"]["code"] == "member"
    assert member["enrolled_channel"] == "pos"
    assert datetime.fromisoformat(member["enrolled_at"]).utcoffset() is not None
    sent = services.member.enrolments[-1]
    assert (sent.tenant_id, sent.channel, sent.store_id) == (tenant, "pos", "S001")


async def test_enrolling_a_known_identity_answers_200_with_the_existing_member(
    gateway: Gateway,
) -> None:
    headers = await gateway.key(new_tenant(), "app")
    body = {"identities": [{"type": "phone", "value": new_phone()}]}
    first = await gateway.client.post("/v1/members", json=body, headers=headers)

    again = await gateway.client.post("/v1/members", json=body, headers=headers)

    assert again.status_code == 200
    assert again.json()["created"] is False
    assert again.json()["member_id"] == first.json()["member_id"]


async def test_a_store_bound_key_naming_no_store_enrols_for_its_own(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = await gateway.key(new_tenant(), "pos", store_id="S003")
    body = {"identities": [{"type": "card", "value": f"C{new_phone()}"}]}

    response = await gateway.client.post("/v1/members", json=body, headers=headers)

    assert response.status_code == 201
    assert services.member.enrolments[-1].store_id == "S003"


async def test_an_operator_key_enrols_as_operator_unless_it_names_a_channel(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = await gateway.key(new_tenant(), "operator")
    plain = {"identities": [{"type": "email", "value": f"{new_phone()}@example.com"}]}
    for_app = {"channel": "app", "identities": [{"type": "app_user", "value": new_phone()}]}

    await gateway.client.post("/v1/members", json=plain, headers=headers)
    first_channel = services.member.enrolments[-1].channel
    await gateway.client.post("/v1/members", json=for_app, headers=headers)

    assert (first_channel, services.member.enrolments[-1].channel) == ("operator", "app")


async def test_a_member_is_read_by_id_and_looked_up_by_identity(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "ecommerce")
    phone = new_phone()
    enrolled = await gateway.client.post(
        "/v1/members", json={"identities": [{"type": "phone", "value": phone}]}, headers=headers
    )
    member_id = enrolled.json()["member_id"]

    by_id = await gateway.client.get(f"/v1/members/{member_id}", headers=headers)
    by_phone = await gateway.client.get(
        "/v1/members/lookup", params={"type": "phone", "value": phone}, headers=headers
    )

    assert by_id.status_code == by_phone.status_code == 200
    assert by_id.json()["member_id"] == by_phone.json()["member_id"] == member_id
    assert "created" not in by_id.json()


async def test_a_member_of_another_tenant_is_not_found(gateway: Gateway) -> None:
    demo = await gateway.key(new_tenant(), "pos", store_id="S001")
    sandbox = await gateway.key(new_tenant(), "pos", store_id="S001")
    phone = new_phone()
    enrolled = await gateway.client.post(
        "/v1/members", json={"identities": [{"type": "phone", "value": phone}]}, headers=demo
    )
    member_id = enrolled.json()["member_id"]

    by_id = await gateway.client.get(f"/v1/members/{member_id}", headers=sandbox)
    by_phone = await gateway.client.get(
        "/v1/members/lookup", params={"type": "phone", "value": phone}, headers=sandbox
    )

    assert (by_id.status_code, by_id.json()["code"]) == (404, "member_not_found")
    assert (by_phone.status_code, by_phone.json()["code"]) == (404, "member_not_found")


async def test_a_lookup_with_an_unknown_identity_type_is_a_validation_error(
    gateway: Gateway,
) -> None:
    headers = await gateway.key(new_tenant(), "app")

    response = await gateway.client.get(
        "/v1/members/lookup", params={"type": "fax", "value": "1"}, headers=headers
    )

    assert response.status_code == 422
    assert response.json()["detail"].startswith("query.type: ")


async def test_the_code_a_service_sends_comes_through_to_the_caller(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "app")
    body = {"identities": [{"type": "phone", "value": f"{TAKEN_PREFIX}{new_phone()}"}]}

    response = await gateway.client.post("/v1/members", json=body, headers=headers)

    assert response.status_code == 409
    assert response.json()["code"] == "identity_taken"
    assert response.json()["detail"] == "identity belongs to another member"


async def test_the_request_id_travels_to_the_service_and_back(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = await gateway.key(new_tenant(), "app")
    body = {"identities": [{"type": "phone", "value": new_phone()}]}

    response = await gateway.client.post(
        "/v1/members", json=body, headers={**headers, "X-Request-ID": "till-9.42"}
    )

    assert response.headers["x-request-id"] == "till-9.42"
    assert services.member.request_ids[-1] == "till-9.42"


async def test_a_generated_request_id_also_reaches_the_service(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = await gateway.key(new_tenant(), "app")
    body = {"identities": [{"type": "phone", "value": new_phone()}]}

    response = await gateway.client.post("/v1/members", json=body, headers=headers)

    assert services.member.request_ids[-1] == response.headers["x-request-id"]
