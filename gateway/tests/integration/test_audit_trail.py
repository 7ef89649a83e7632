"""The operators' audit trail against a real MongoDB-protocol server: what is recorded,
what never is, and how admins and auditors search and export it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from gateway.edge.audit.store import COLLECTION
from gateway.tests.integration.support import Gateway, new_tenant
from libs.ids import new_id

pytestmark = pytest.mark.integration

PASSWORD = "a long enough first password"
BROWSER = {"User-Agent": "audit-test-browser/1.0"}


async def admin_key(gateway: Gateway, tenant_id: str) -> tuple[str, dict[str, str]]:
    issued = await gateway.container.keys.create_key(tenant_id, "operator")
    return issued.key.key_id, {"Authorization": f"Bearer {issued.secret}", **BROWSER}


async def signed_in(gateway: Gateway, tenant_id: str, role: str) -> tuple[str, dict[str, str]]:
    email = f"{role}.{new_id()}@brand.example"
    made = await gateway.container.operators.create(tenant_id, email, role, PASSWORD)
    login = {"tenant_id": tenant_id, "email": email, "password": PASSWORD}
    response = await gateway.client.post("/v1/auth/sessions", json=login)
    assert response.status_code == 201, response.text
    return made.operator_id, {"Authorization": f"Bearer {response.json()['token']}"}


async def trail(gateway: Gateway, headers: dict[str, str], **query: str) -> list[dict[str, Any]]:
    response = await gateway.client.get("/v1/admin/audit", params=query, headers=headers)
    assert response.status_code == 200, response.text
    entries: list[dict[str, Any]] = response.json()["entries"]
    return entries


async def test_an_operator_change_is_recorded_with_who_where_what_and_the_fields_it_changed(
    gateway: Gateway,
) -> None:
    tenant_id = new_tenant()
    key_id, admin = await admin_key(gateway, tenant_id)
    body = {"email": "Wang@Acme.example", "role": "support", "password": PASSWORD}

    created = await gateway.client.post("/v1/admin/operators", json=body, headers=admin)
    operator_id = created.json()["operator_id"]
    changed = await gateway.client.put(
        f"/v1/admin/operators/{operator_id}",
        json={"role": "marketer"},
        headers={**admin, "X-Request-ID": "req-audit-1"},
    )
    entries = await trail(gateway, admin, resource=f"operator:{operator_id}")
    stored = await gateway.container.db[COLLECTION].find({"tenant_id": tenant_id}).to_list()

    assert (created.status_code, changed.status_code) == (201, 200)
    assert [e["action"] for e in entries] == [
        "PUT /v1/admin/operators/{operator_id}",
        "POST /v1/admin/operators",
    ]
    put, post = entries
    assert put["actor"] == {"kind": "key", "id": key_id, "role": "admin", "stores": []}
    assert put["origin"] == {
        "client_address": "127.0.0.1",
        "user_agent": "audit-test-browser/1.0",
        "request_id": "req-audit-1",
    }
    assert put["status"] == 200
    assert put["resources"] == [{"kind": "operator", "id": operator_id}]
    assert put["changes"] == [
        {"field": "role", "before": "support", "after": "marketer", "personal": False}
    ]
    assert {"field": "email", "before": None, "after": None, "personal": True} in post["changes"]
    assert "wang@acme.example" not in repr(stored).lower()
    assert PASSWORD not in repr(stored)


async def test_a_branding_change_is_recorded_with_its_fields_before_and_after(
    gateway: Gateway,
) -> None:
    tenant_id = new_tenant()
    _, admin = await admin_key(gateway, tenant_id)
    first = {"display_name": "Acme", "colour": "#112233"}

    put_first = await gateway.client.put("/v1/admin/branding", json=first, headers=admin)
    put_second = await gateway.client.put(
        "/v1/admin/branding", json={**first, "colour": "#445566"}, headers=admin
    )
    entries = await trail(gateway, admin, action="PUT /v1/admin/branding")

    assert (put_first.status_code, put_second.status_code) == (200, 200)
    assert [e["changes"] for e in entries] == [
        [{"field": "colour", "before": "#112233", "after": "#445566", "personal": False}],
        [
            {"field": "colour", "before": None, "after": "#112233", "personal": False},
            {"field": "display_name", "before": None, "after": "Acme", "personal": False},
        ],
    ]


async def test_touchpoints_and_plain_reads_are_not_recorded_but_a_refused_attempt_is(
    gateway: Gateway,
) -> None:
    tenant_id = new_tenant()
    _, admin = await admin_key(gateway, tenant_id)
    support_id, support = await signed_in(gateway, tenant_id, "support")
    pos = await gateway.key(tenant_id, "pos")

    by_till = await gateway.client.post("/v1/admin/keys", json={"channel": "pos"}, headers=pos)
    by_support = await gateway.client.post(
        "/v1/admin/keys", json={"channel": "pos"}, headers=support
    )
    listed = await gateway.client.get("/v1/admin/operators", headers=admin)
    entries = await trail(gateway, admin)

    assert (by_till.status_code, by_support.status_code, listed.status_code) == (403, 403, 200)
    assert [(e["action"], e["status"], e["actor"]["id"]) for e in entries] == [
        ("POST /v1/admin/keys", 403, support_id),
        ("POST /v1/auth/sessions", 201, support_id),  # their sign-in (test_audit_sign_ins.py)
    ]
    assert entries[0]["actor"] == {
        "kind": "operator",
        "id": support_id,
        "role": "support",
        "stores": [],
    }


async def test_auditors_search_by_actor_action_resource_and_time_page_by_page(
    gateway: Gateway,
) -> None:
    tenant_id = new_tenant()
    key_id, admin = await admin_key(gateway, tenant_id)
    _, auditor = await signed_in(gateway, tenant_id, "auditor")
    _, marketer = await signed_in(gateway, tenant_id, "marketer")
    started = datetime.now(UTC) - timedelta(seconds=1)
    made = []
    for channel in ("pos", "ecommerce", "app"):
        answer = await gateway.client.post(
            "/v1/admin/keys", json={"channel": channel}, headers=admin
        )
        made.append(answer.json()["key"]["key_id"])
    revoked = await gateway.client.post(f"/v1/admin/keys/{made[0]}/revoke", headers=admin)

    by_actor = await trail(gateway, auditor, actor=key_id)
    creations = await trail(gateway, auditor, action="POST /v1/admin/keys", limit="10")
    revocations = await trail(gateway, auditor, action="POST /v1/admin/keys/{key_id}/revoke")
    of_first = await trail(gateway, auditor, resource=made[0])
    later = await trail(
        gateway, auditor, **{"from": (datetime.now(UTC) + timedelta(hours=1)).isoformat()}
    )
    window = await trail(
        gateway, auditor, **{"from": started.isoformat(), "to": datetime.now(UTC).isoformat()}
    )
    first = await gateway.client.get("/v1/admin/audit", params={"limit": 3}, headers=auditor)
    second = await gateway.client.get(
        "/v1/admin/audit",
        params={"limit": 3, "cursor": first.json()["next_cursor"]},
        headers=auditor,
    )
    refused = await gateway.client.get("/v1/admin/audit", headers=marketer)
    naive = await gateway.client.get(
        "/v1/admin/audit", params={"from": "2026-12-01T00:00:00"}, headers=auditor
    )

    assert revoked.status_code == 200
    assert len(by_actor) == 4
    assert len(creations) == 4  # the prefix also finds the revocation
    assert [e["resources"] for e in revocations] == [[{"kind": "key", "id": made[0]}]]
    assert revocations[0]["changes"] == [
        {"field": "revoked", "before": False, "after": True, "personal": False}
    ]
    assert [e["action"] for e in of_first] == [
        "POST /v1/admin/keys/{key_id}/revoke",
        "POST /v1/admin/keys",
    ]
    assert later == []
    assert len([e for e in window if e["actor"]["id"] == key_id]) == 4  # sign-ins aside
    assert len(first.json()["entries"]) == 3
    oldest, *sign_ins = second.json()["entries"]
    assert oldest["entry_id"] == by_actor[-1]["entry_id"]
    assert [e["action"] for e in sign_ins] == ["POST /v1/auth/sessions"] * 2
    assert second.json()["next_cursor"] is None
    assert refused.status_code == 403
    assert naive.status_code == 422
    assert naive.json()["code"] == "validation_error"


async def test_the_export_is_the_same_entries_as_csv_and_is_itself_recorded(
    gateway: Gateway,
) -> None:
    tenant_id = new_tenant()
    _, admin = await admin_key(gateway, tenant_id)
    _, auditor = await signed_in(gateway, tenant_id, "auditor")
    await gateway.client.post("/v1/admin/keys", json={"channel": "pos"}, headers=admin)
    await gateway.client.post("/v1/admin/keys", json={"channel": "app"}, headers=admin)

    exported = await gateway.client.get(
        "/v1/admin/audit/export", params={"action": "POST"}, headers=auditor
    )
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    after = await trail(gateway, auditor, action="GET /v1/admin/audit/export")

    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert [r["route"] for r in rows] == ["/v1/admin/keys", "/v1/admin/keys", "/v1/auth/sessions"]
    assert rows[0]["changes"].startswith("[")
    assert len(after) == 1


async def test_nothing_through_the_api_changes_or_removes_an_entry(gateway: Gateway) -> None:
    tenant_id = new_tenant()
    _, admin = await admin_key(gateway, tenant_id)
    await gateway.client.post("/v1/admin/keys", json={"channel": "pos"}, headers=admin)
    entry = (await trail(gateway, admin))[0]

    attempts = [
        await gateway.client.request(method, path, headers=admin, json={})
        for method in ("POST", "PUT", "PATCH", "DELETE")
        for path in ("/v1/admin/audit", f"/v1/admin/audit/{entry['entry_id']}")
    ]
    left = await trail(gateway, admin, action="POST /v1/admin/keys")

    assert {a.status_code for a in attempts} <= {404, 405}
    assert left == [entry]
