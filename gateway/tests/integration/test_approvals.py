"""Four eyes against a real MongoDB-protocol server: a tenant's policy holds new operator
keys; another admin approves and the request runs once as its maker, also under
concurrent approvals; rejected and expired requests never run."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from gateway.tests.integration.support import Gateway, new_tenant
from libs.ids import new_id

pytestmark = pytest.mark.integration

PASSWORD = "a long enough first password"
HOLD_KEYS = {"operator_keys": True}
NEW_OPERATOR_KEY = {"channel": "operator", "role": "marketer"}


async def admin_key(gateway: Gateway, tenant_id: str) -> tuple[str, dict[str, str]]:
    issued = await gateway.container.keys.create_key(tenant_id, "operator")
    return issued.key.key_id, {"Authorization": f"Bearer {issued.secret}"}


async def signed_in(gateway: Gateway, tenant_id: str, role: str) -> dict[str, str]:
    email = f"{role}.{new_id()}@brand.example"
    await gateway.container.operators.create(tenant_id, email, role, PASSWORD)
    login = {"tenant_id": tenant_id, "email": email, "password": PASSWORD}
    response = await gateway.client.post("/v1/auth/sessions", json=login)
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def operator_keys(gateway: Gateway, headers: dict[str, str]) -> list[dict[str, Any]]:
    listed = await gateway.client.get("/v1/admin/keys", headers=headers)
    return [k for k in listed.json()["keys"] if k["channel"] == "operator"]


async def held_key_request(gateway: Gateway) -> tuple[str, str, dict[str, str], Any]:
    """A tenant holding new operator keys, and a request for one by its first admin."""
    tenant_id = new_tenant()
    maker_id, maker = await admin_key(gateway, tenant_id)
    policy = await gateway.client.put("/v1/admin/approval-policy", json=HOLD_KEYS, headers=maker)
    assert policy.status_code == 200, policy.text
    held = await gateway.client.post("/v1/admin/keys", json=NEW_OPERATOR_KEY, headers=maker)
    return tenant_id, maker_id, maker, held


async def test_without_a_policy_an_operator_key_is_made_at_once(gateway: Gateway) -> None:
    tenant_id = new_tenant()
    _, admin = await admin_key(gateway, tenant_id)

    policy = await gateway.client.get("/v1/admin/approval-policy", headers=admin)
    made = await gateway.client.post("/v1/admin/keys", json=NEW_OPERATOR_KEY, headers=admin)

    assert policy.json()["operator_keys"] is False
    assert policy.json()["adjustment_points_above"] is None
    assert made.status_code == 201, made.text


async def test_a_held_request_waits_and_runs_once_as_its_maker_when_another_admin_approves(
    gateway: Gateway,
) -> None:
    tenant_id, maker_id, maker, held = await held_key_request(gateway)
    approval_id = held.json()["approval_id"]
    path = f"/v1/admin/approvals/{approval_id}"
    _, checker = await admin_key(gateway, tenant_id)
    support = await signed_in(gateway, tenant_id, "support")
    before = await operator_keys(gateway, maker)

    queue = await gateway.client.get("/v1/admin/approvals", headers=checker)
    by_maker = await gateway.client.post(f"{path}/approve", headers=maker)
    by_support = await gateway.client.post(f"{path}/approve", headers=support)
    approved = await gateway.client.post(
        f"{path}/approve", json={"note": "expected"}, headers=checker
    )
    again = await gateway.client.post(f"{path}/approve", headers=checker)
    after = await operator_keys(gateway, maker)
    trail = await gateway.client.get(
        "/v1/admin/audit", params={"resource": f"approval:{approval_id}"}, headers=checker
    )

    assert held.status_code == 202, held.text
    assert held.headers["location"] == path
    assert held.json()["status"] == "pending"
    assert [a["approval_id"] for a in queue.json()["approvals"]] == [approval_id]
    assert queue.json()["approvals"][0]["request"]["body"] == NEW_OPERATOR_KEY
    assert len(before) == 2  # the two admins' keys
    assert (by_maker.status_code, by_maker.json()["code"]) == (403, "approval_by_maker")
    assert (by_support.status_code, by_support.json()["code"]) == (
        403,
        "approval_role_not_allowed",
    )
    assert approved.status_code == 200, approved.text
    answer = approved.json()
    assert (answer["status"], answer["result_status"], answer["note"]) == (
        "executed",
        201,
        "expected",
    )
    assert answer["result"]["key"]["role"] == "marketer"
    assert "secret" not in answer["result"]
    assert again.json() == answer
    assert len(after) == 3
    runs = [e for e in trail.json()["entries"] if e["action"] == "POST /v1/admin/keys"]
    assert [(e["status"], e["actor"]["id"]) for e in runs] == [(201, maker_id), (202, maker_id)]
    decisions = [e for e in trail.json()["entries"] if e["route"].endswith("/approve")]
    assert [e["status"] for e in decisions] == [200, 200, 403, 403]
    assert decisions[0]["changes"] == []  # the retry changed nothing
    assert decisions[1]["changes"] == [
        {"field": "result_status", "before": None, "after": 201, "personal": False},
        {"field": "status", "before": "pending", "after": "executed", "personal": False},
    ]


async def test_concurrent_approvals_run_the_request_exactly_once(gateway: Gateway) -> None:
    tenant_id, _, maker, held = await held_key_request(gateway)
    path = f"/v1/admin/approvals/{held.json()['approval_id']}/approve"
    checkers = [(await admin_key(gateway, tenant_id))[1] for _ in range(6)]
    before = await operator_keys(gateway, maker)

    answers = await asyncio.gather(
        *(gateway.client.post(path, headers=checker) for checker in checkers)
    )
    after = await operator_keys(gateway, maker)

    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 409, 409, 409, 409, 409], [a.text for a in answers]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"approval_not_pending"}
    assert len(after) == len(before) + 1


async def test_a_rejected_or_expired_request_never_runs(gateway: Gateway) -> None:
    tenant_id, _, maker, held = await held_key_request(gateway)
    _, checker = await admin_key(gateway, tenant_id)
    rejected_path = f"/v1/admin/approvals/{held.json()['approval_id']}"
    late = await gateway.client.post("/v1/admin/keys", json=NEW_OPERATOR_KEY, headers=maker)
    late_path = f"/v1/admin/approvals/{late.json()['approval_id']}"
    await gateway.container.db["approvals"].update_one(
        {"_id": late.json()["approval_id"]},
        {"$set": {"expires_at": datetime.now(UTC) - timedelta(seconds=1)}},
    )
    before = await operator_keys(gateway, maker)

    rejected = await gateway.client.post(
        f"{rejected_path}/reject", json={"note": "not needed"}, headers=checker
    )
    approve_rejected = await gateway.client.post(f"{rejected_path}/approve", headers=checker)
    approve_expired = await gateway.client.post(f"{late_path}/approve", headers=checker)
    expired = await gateway.client.get(late_path, headers=checker)
    listed = await gateway.client.get(
        "/v1/admin/approvals", params={"status": "expired"}, headers=checker
    )

    assert rejected.json()["status"] == "rejected"
    assert (approve_rejected.status_code, approve_rejected.json()["code"]) == (
        409,
        "approval_not_pending",
    )
    assert approve_expired.status_code == 409
    assert expired.json()["status"] == "expired"
    assert [a["approval_id"] for a in listed.json()["approvals"]] == [late.json()["approval_id"]]
    assert await operator_keys(gateway, maker) == before


async def test_a_retried_held_request_answers_the_same_approval(gateway: Gateway) -> None:
    tenant_id = new_tenant()
    _, maker = await admin_key(gateway, tenant_id)
    await gateway.client.put("/v1/admin/approval-policy", json={"erasures": True}, headers=maker)
    headers = {**maker, "Idempotency-Key": f"hold-{new_id()}"}
    path = f"/v1/members/m_{new_id()}/erase"

    first = await gateway.client.post(path, headers=headers)
    second = await gateway.client.post(path, headers=headers)
    other = await gateway.client.get("/v1/admin/approvals/apr_nothing", headers=maker)

    assert (first.status_code, second.status_code) == (202, 202)
    assert second.json()["approval_id"] == first.json()["approval_id"]
    assert second.headers["idempotency-replayed"] == "true"
    assert (other.status_code, other.json()["code"]) == (404, "approval_not_found")
