from __future__ import annotations

import pytest

from gateway.edge.problems import PROBLEM_MEDIA_TYPE
from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.support import Gateway, new_phone, new_tenant


def an_enrolment(**fields: object) -> dict[str, object]:
    return {"identities": [{"type": "phone", "value": new_phone()}], **fields}


async def test_a_call_without_a_key_is_unauthorized(gateway: Gateway) -> None:
    response = await gateway.client.post("/v1/members", json=an_enrolment(channel="pos"))

    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["code"] == "unauthorized"


@pytest.mark.parametrize(
    "authorization", ["Bearer lk_pos_not-a-real-key", "Basic dXNlcjpwYXNz", "Bearer ", "lk_pos_x"]
)
async def test_an_unknown_or_malformed_key_is_unauthorized(
    gateway: Gateway, authorization: str
) -> None:
    response = await gateway.client.get(
        "/v1/members/lookup",
        params={"type": "phone", "value": new_phone()},
        headers={"Authorization": authorization},
    )

    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


async def test_a_revoked_key_is_unauthorized(gateway: Gateway) -> None:
    issued = await gateway.container.keys.create_key(new_tenant(), "app")
    headers = {"Authorization": f"Bearer {issued.secret}"}
    await gateway.container.keys.revoke(issued.key.key_id)

    response = await gateway.client.get("/v1/members/mem_x", headers=headers)

    assert response.status_code == 401


async def test_authentication_is_checked_before_permission_and_the_body(gateway: Gateway) -> None:
    response = await gateway.client.post(
        "/v1/members", content=b"{not json", headers={"Authorization": "Bearer nope"}
    )

    assert response.status_code == 401


async def test_permission_is_checked_before_the_body(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "pos", store_id="S001")
    body = an_enrolment(store_id="S002", unknown_field=1, identities=[])

    response = await gateway.client.post("/v1/members", json=body, headers=headers)

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


async def test_a_key_without_the_scope_is_forbidden_whatever_the_body(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "app", scopes=["members:read"])

    response = await gateway.client.post("/v1/members", content=b"garbage", headers=headers)

    assert response.status_code == 403


async def test_the_body_is_checked_last_and_a_bad_one_changes_nothing(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = await gateway.key(new_tenant(), "pos", store_id="S001")

    response = await gateway.client.post(
        "/v1/members", json=an_enrolment(store_id="S001", identities=[]), headers=headers
    )

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert services.member.enrolments == []


async def test_a_store_bound_key_enrolling_for_another_store_is_forbidden(
    gateway: Gateway,
) -> None:
    headers = await gateway.key(new_tenant(), "pos", store_id="S001")

    response = await gateway.client.post(
        "/v1/members", json=an_enrolment(channel="pos", store_id="S002"), headers=headers
    )

    assert response.status_code == 403
    assert "S001" in response.json()["detail"]


async def test_a_channel_that_differs_from_the_keys_is_a_validation_error(
    gateway: Gateway,
) -> None:
    headers = await gateway.key(new_tenant(), "ecommerce")

    response = await gateway.client.post(
        "/v1/members", json=an_enrolment(channel="pos", store_id="S001"), headers=headers
    )

    assert response.status_code == 422
    assert response.json()["detail"].startswith("body.channel:")


async def test_an_unknown_field_is_a_validation_error_naming_it(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "app")

    response = await gateway.client.post(
        "/v1/members", json=an_enrolment(tenant_id="someone-else"), headers=headers
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "body.tenant_id: Extra inputs are not permitted"


async def test_a_bad_identity_is_named_by_its_position(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "app")
    identities = [{"type": "phone", "value": new_phone()}, {"type": "fax", "value": "1"}]

    response = await gateway.client.post(
        "/v1/members", json={"identities": identities}, headers=headers
    )

    assert response.status_code == 422
    assert response.json()["detail"].startswith("body.identities[1].type: ")


async def test_a_pos_key_must_name_a_store(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "pos")

    response = await gateway.client.post("/v1/members", json=an_enrolment(), headers=headers)

    assert response.status_code == 422
    assert response.json()["detail"].startswith("body.store_id:")


async def test_query_parameters_are_checked_after_the_key_and_its_scope(gateway: Gateway) -> None:
    bad_query = {"type": "fax"}
    reader = await gateway.key(new_tenant(), "app")
    writer_only = await gateway.key(new_tenant(), "app", scopes=["members:write"])

    anonymous = await gateway.client.get("/v1/members/lookup", params=bad_query)
    unscoped = await gateway.client.get("/v1/members/lookup", params=bad_query, headers=writer_only)
    allowed = await gateway.client.get("/v1/members/lookup", params=bad_query, headers=reader)

    assert [r.status_code for r in (anonymous, unscoped, allowed)] == [401, 403, 422]
