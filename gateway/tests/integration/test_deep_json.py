"""A deeply nested JSON body is a 422 like any other bad body, never a 500 (docs/security.md,
item 10)."""

from __future__ import annotations

import pytest

from gateway.tests.integration.support import Gateway, new_tenant
from libs.ids import new_id

DEEP = b"[" * 5000 + b"]" * 5000


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/v1/members"), ("POST", "/v1/admin/keys"), ("PUT", "/v1/admin/tier-program")],
)
async def test_a_deeply_nested_body_is_a_validation_error(
    gateway: Gateway, method: str, path: str
) -> None:
    operator = await gateway.key(new_tenant(), "operator")
    headers = {**operator, "Content-Type": "application/json"}

    plain = await gateway.client.request(method, path, content=DEEP, headers=headers)
    keyed = await gateway.client.request(
        method, path, content=DEEP, headers={**headers, "Idempotency-Key": new_id()}
    )

    assert (plain.status_code, keyed.status_code) == (422, 422)
    assert plain.json()["code"] == "validation_error"
    assert "deeper" in plain.text


async def test_a_deeply_nested_sign_in_is_a_validation_error(gateway: Gateway) -> None:
    response = await gateway.client.post(
        "/v1/auth/sessions", content=DEEP, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
