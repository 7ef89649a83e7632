"""What every endpoint added for issue 3 promises: documented problems, tenancy, auth."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.tests.integration.support import Gateway, new_phone, new_tenant
from libs.ids import new_id

MEMBER_CALLS: list[tuple[str, str, dict[str, Any] | None, str]] = [
    ("POST", "/v1/members/{id}/erase", None, "operator"),
    ("GET", "/v1/members/{id}/export", None, "operator"),
    ("GET", "/v1/members/{id}/audit", None, "operator"),
    ("POST", "/v1/members/{id}/identities", {"type": "card", "value": "CARD-7"}, "app"),
    ("DELETE", "/v1/members/{id}/identities/card/CARD-7", None, "app"),
    ("PATCH", "/v1/members/{id}/profile", {"name": "Li"}, "app"),
    ("PUT", "/v1/members/{id}/consents", {"consents": {"marketing": True}}, "app"),
    ("GET", "/v1/members/{id}/code", None, "app"),
    ("GET", "/v1/members/{id}/tier-progress", None, "app"),
    (
        "PUT",
        "/v1/admin/members/{id}/tier",
        {"tier": "gold", "reason": "r", "until": "2030-01-01T00:00:00+00:00"},
        "operator",
    ),
]
NEW_PATHS = {
    "/v1/members/{member_id}/erase": "post",
    "/v1/members/{member_id}/export": "get",
    "/v1/members/{member_id}/audit": "get",
    "/v1/members/{member_id}/identities": "post",
    "/v1/members/{member_id}/identities/{type}/{value}": "delete",
    "/v1/members/{member_id}/profile": "patch",
    "/v1/members/{member_id}/consents": "put",
    "/v1/members/{member_id}/code": "get",
    "/v1/members/{member_id}/tier-progress": "get",
    "/v1/members/merge": "post",
    "/v1/admin/members": "get",
    "/v1/admin/members/{member_id}/tier": "put",
    "/v1/admin/tier-program": "put",
    "/v1/admin/member-attributes": "put",
}


@pytest.mark.parametrize(("method", "path", "body", "channel"), MEMBER_CALLS)
async def test_a_member_of_another_tenant_is_404_member_not_found(
    gateway: Gateway, method: str, path: str, body: dict[str, Any] | None, channel: str
) -> None:
    owner = await gateway.legacy_key(new_tenant(), "app")
    enrolled = await gateway.client.post(
        "/v1/members", json={"identities": [{"type": "phone", "value": new_phone()}]}, headers=owner
    )
    stranger = (
        await gateway.member_token(new_tenant(), new_id("mem_"))
        if channel == "app"
        else await gateway.key(new_tenant(), channel)  # type: ignore[arg-type]
    )

    response = await gateway.client.request(
        method, path.format(id=enrolled.json()["member_id"]), json=body, headers=stranger
    )

    assert (response.status_code, response.json()["code"]) == (404, "member_not_found")


@pytest.mark.parametrize(("method", "path", "body", "channel"), MEMBER_CALLS)
async def test_without_a_key_every_call_is_401(
    gateway: Gateway, method: str, path: str, body: dict[str, Any] | None, channel: str
) -> None:
    response = await gateway.client.request(method, path.format(id="m1"), json=body)
    assert response.status_code == 401


@pytest.mark.parametrize(("path", "method"), NEW_PATHS.items())
async def test_each_new_endpoint_is_documented_with_its_answer_and_problems(
    gateway: Gateway, path: str, method: str
) -> None:
    document = (await gateway.client.get("/openapi.json")).json()
    operation = document["paths"][path][method]
    responses = operation["responses"]
    assert {"401", "403"} <= set(responses)
    ok = responses.get("200") or responses["201"]
    assert "$ref" in str(ok["content"]["application/json"]["schema"])
    problem = responses["403"]["content"]["application/problem+json"]["schema"]
    assert problem["$ref"].endswith("/Problem")
    if method in {"post", "put", "patch"} and "erase" not in path:
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.rsplit("/", 1)[-1] in document["components"]["schemas"]
