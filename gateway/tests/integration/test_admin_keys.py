from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from gateway.tenancy.keys import hash_secret
from gateway.tenancy.tenants import Tenant
from gateway.tests.integration.support import Gateway, new_tenant
from libs.ids import new_id


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


async def create(gateway: Gateway, operator: dict[str, str], **body: Any) -> dict[str, Any]:
    response = await gateway.client.post("/v1/admin/keys", json=body, headers=operator)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def whoami(gateway: Gateway, secret: str) -> int:
    return (await gateway.client.get("/v1/admin/whoami", headers=bearer(secret))).status_code


async def reads(gateway: Gateway, secret: str) -> int:
    # a lookup nobody matches: any channel's live key may ask (404), a dead one is 401
    params = {"type": "card", "value": new_id()}
    response = await gateway.client.get("/v1/members/lookup", params=params, headers=bearer(secret))
    return response.status_code


async def test_an_operator_creates_a_store_bound_pos_key_whose_secret_works(
    gateway: Gateway,
) -> None:
    tenant = new_tenant()
    operator = await gateway.key(tenant, "operator")

    created = await create(gateway, operator, channel="pos", store_id="S001")

    key = created["key"]
    assert created["secret"].startswith("lk_pos_")
    assert (key["tenant_id"], key["channel"], key["store_id"]) == (tenant, "pos", "S001")
    assert key["status"] == "active"
    assert await reads(gateway, created["secret"]) == 404
    doc = await gateway.container.db["api_keys"].find_one({"key_id": key["key_id"]})
    assert doc is not None
    assert created["secret"] not in str(doc)
    assert doc["key_hash"] == hash_secret(created["secret"])


async def test_the_list_shows_the_tenants_keys_without_secrets_or_hashes(
    gateway: Gateway,
) -> None:
    tenant = new_tenant()
    operator = await gateway.key(tenant, "operator")
    created = await create(gateway, operator, channel="app")
    await create(gateway, await gateway.key(new_tenant(), "operator"), channel="app")

    response = await gateway.client.get("/v1/admin/keys", headers=operator)

    listed = response.json()["keys"]
    assert {k["tenant_id"] for k in listed} == {tenant}
    assert created["key"]["key_id"] in {k["key_id"] for k in listed}
    assert created["secret"] not in response.text
    assert "hash" not in response.text


async def test_after_a_rotation_old_and_new_secrets_both_work_for_the_grace_period(
    gateway: Gateway,
) -> None:
    operator = await gateway.key(new_tenant(), "operator")
    created = await create(gateway, operator, channel="app")
    key_id = created["key"]["key_id"]

    rotated = await gateway.client.post(f"/v1/admin/keys/{key_id}/rotate", headers=operator)

    assert rotated.status_code == 200
    body = rotated.json()
    assert body["key"]["key_id"] == key_id
    assert body["secret"] != created["secret"]
    until = datetime.fromisoformat(body["key"]["previous_valid_until"])
    assert until - datetime.now(UTC) > timedelta(hours=23, minutes=59)
    assert await reads(gateway, created["secret"]) == 404
    assert await reads(gateway, body["secret"]) == 404


async def test_a_rotation_without_grace_retires_the_old_secret_at_once(gateway: Gateway) -> None:
    operator = await gateway.key(new_tenant(), "operator")
    created = await create(gateway, operator, channel="app")
    assert await reads(gateway, created["secret"]) == 404

    rotated = await gateway.client.post(
        f"/v1/admin/keys/{created['key']['key_id']}/rotate",
        json={"grace_seconds": 0},
        headers=operator,
    )

    assert await reads(gateway, created["secret"]) == 401
    assert await reads(gateway, rotated.json()["secret"]) == 404


async def test_a_revoked_key_stops_working_and_revoking_again_answers_the_same(
    gateway: Gateway,
) -> None:
    operator = await gateway.key(new_tenant(), "operator")
    created = await create(gateway, operator, channel="pos")
    path = f"/v1/admin/keys/{created['key']['key_id']}/revoke"

    first = await gateway.client.post(path, headers=operator)
    again = await gateway.client.post(path, headers=operator)

    assert first.status_code == again.status_code == 200
    assert first.json()["status"] == "revoked"
    assert again.json() == first.json()
    assert await reads(gateway, created["secret"]) == 401


async def test_a_key_of_another_tenant_is_404_never_403(gateway: Gateway) -> None:
    theirs = await create(gateway, await gateway.key(new_tenant(), "operator"), channel="app")
    mine = await gateway.key(new_tenant(), "operator")
    key_id = theirs["key"]["key_id"]

    revoke = await gateway.client.post(f"/v1/admin/keys/{key_id}/revoke", headers=mine)
    rotate = await gateway.client.post(f"/v1/admin/keys/{key_id}/rotate", headers=mine)

    assert (revoke.status_code, rotate.status_code) == (404, 404)
    assert revoke.json()["code"] == "key_not_found"
    assert await reads(gateway, theirs["secret"]) == 404


@pytest.mark.parametrize(
    ("channel", "role"), [("pos", None), ("app", None), ("operator", "marketer")]
)
async def test_only_tenant_administrators_manage_keys(
    gateway: Gateway, channel: Any, role: str | None
) -> None:
    issued = await gateway.container.keys.create_key(new_tenant(), channel, role=role)

    response = await gateway.client.get("/v1/admin/keys", headers=bearer(issued.secret))

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"channel": "app", "store_id": "S001"}, "body"),
        ({"channel": "app", "role": "admin"}, "body"),
        ({"channel": "app", "scopes": ["admin"]}, "body"),
        ({"channel": "pos", "store_id": "S999"}, "body.store_id"),
        ({"channel": "pos", "colour": "red"}, "body.colour"),
        ({"channel": "kiosk"}, "body.channel"),
    ],
)
async def test_a_malformed_key_request_is_422(
    gateway: Gateway, body: dict[str, Any], location: str
) -> None:
    tenant = new_tenant()
    await gateway.container.tenants.upsert(
        Tenant(tenant, "T", ("S001",), "CN", "Asia/Shanghai", "CNY")
    )
    operator = await gateway.key(tenant, "operator")

    response = await gateway.client.post("/v1/admin/keys", json=body, headers=operator)

    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == location


async def test_an_idempotency_key_never_keeps_a_secret(gateway: Gateway) -> None:
    operator = {**await gateway.key(new_tenant(), "operator"), "Idempotency-Key": new_id()}

    first = await create(gateway, operator, channel="app")
    second = await create(gateway, operator, channel="app")

    assert first["key"]["key_id"] != second["key"]["key_id"]
    records = [doc async for doc in gateway.container.db["idempotency"].find({})]
    assert not any(first["secret"].encode() in bytes(doc.get("body", b"")) for doc in records)
