"""The operators' audit trail through the whole running platform: a support operator's
work on a member and a marketer's campaign edit, as an auditor finds and exports them."""

from __future__ import annotations

import csv
import io
from typing import Any
from uuid import uuid4

import httpx

from libs.stack.platform import Stack
from tests.e2e.gateway_support import Headers, http, key, new_operator, new_phone, signed_in

__all__ = ["http"]  # fixtures


async def search(http: httpx.AsyncClient, auditor: Headers, **query: str) -> list[dict[str, Any]]:
    answer = await http.get("/v1/admin/audit", params=query, headers=auditor)
    assert answer.status_code == 200, answer.text
    entries: list[dict[str, Any]] = answer.json()["entries"]
    return entries


async def test_a_support_operator_s_work_on_a_member_is_traced_without_their_personal_data(
    http: httpx.AsyncClient, platform_stack: Stack
) -> None:
    support = await signed_in(http, new_operator(platform_stack, "support"))
    auditor = await signed_in(http, new_operator(platform_stack, "auditor"))
    name, renamed, phone = f"Zhang {uuid4().hex[:8]}", f"Li {uuid4().hex[:8]}", new_phone()
    enrolment = {
        "store_id": "S001",
        "identities": [{"type": "phone", "value": phone}],
        "profile": {"name": name},
    }
    enrolled = await http.post(
        "/v1/members", json=enrolment, headers=key(platform_stack, "demo", "pos")
    )
    member_id = enrolled.json()["member_id"]
    path = f"/v1/members/{member_id}"

    patched = await http.patch(f"{path}/profile", json={"name": renamed}, headers=support)
    read = await http.get(path, headers=support)
    adjustment = {"adjustment_id": f"ADJ-{uuid4().hex}", "points": 300, "reason": "parcel lost"}
    adjusted = await http.post(
        f"/v1/admin/members/{member_id}/points/adjustments", json=adjustment, headers=support
    )
    entries = await search(http, auditor, resource=f"member:{member_id}")
    exported = await http.get(
        "/v1/admin/audit/export", params={"resource": member_id}, headers=auditor
    )
    members_own = await http.get(f"{path}/audit", headers=auditor)

    assert (patched.status_code, read.status_code, adjusted.status_code) == (200, 200, 201)
    assert [(e["method"], e["route"], e["status"]) for e in entries] == [
        ("POST", "/v1/admin/members/{member_id}/points/adjustments", 201),
        ("GET", "/v1/members/{member_id}", 200),
        ("PATCH", "/v1/members/{member_id}/profile", 200),
    ]
    assert {e["actor"]["role"] for e in entries} == {"support"}
    adjust, _, patch = entries
    assert {"kind": "adjustment", "id": adjustment["adjustment_id"]} in adjust["resources"]
    assert adjust["changes"] == [
        {"field": "available", "before": 0, "after": 300, "personal": False}
    ]
    assert patch["changes"] == [
        {"field": "profile.name", "before": None, "after": None, "personal": True}
    ]
    assert exported.status_code == 200
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == 3
    for secret in (name, renamed, phone, phone.removeprefix("+86")):
        assert secret not in exported.text
        assert secret not in str(entries)
    # The member service keeps its own trail of the member's changes (by any caller).
    assert "profile.updated" in {e["action"] for e in members_own.json()["entries"]}


async def test_a_campaign_edit_shows_the_definition_before_and_after(
    http: httpx.AsyncClient, platform_stack: Stack
) -> None:
    marketer = await signed_in(http, new_operator(platform_stack, "marketer"))
    auditor = await signed_in(http, new_operator(platform_stack, "auditor"))
    body = {
        "name": f"Audited draft {uuid4().hex[:6]}",
        "trigger": "purchase",
        "effect": {"type": "multiplier", "factor": "2"},
    }
    created = await http.post("/v1/admin/campaigns", json=body, headers=marketer)
    campaign_id = created.json()["campaign_id"]
    edited = await http.put(
        f"/v1/admin/campaigns/{campaign_id}",
        json={**body, "effect": {"type": "multiplier", "factor": "3"}},
        headers=marketer,
    )

    entries = await search(http, auditor, resource=f"campaign:{campaign_id}")

    assert (created.status_code, edited.status_code) == (201, 200), edited.text
    assert [e["method"] for e in entries] == ["PUT", "POST"]
    put, post = entries
    changed = {c["field"]: (c["before"], c["after"]) for c in put["changes"]}
    assert changed["definition.effect.factor"] == ("2", "3")
    assert set(changed) == {"definition.effect.factor", "updated_at"}
    created_fields = {c["field"]: (c["before"], c["after"]) for c in post["changes"]}
    assert created_fields["definition.name"] == (None, body["name"])
    assert created_fields["status"] == (None, "draft")
