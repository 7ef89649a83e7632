"""Operators' side of membership through the running platform: profile schema, search,
tiers."""

from __future__ import annotations

from uuid import uuid4

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.member_support import as_member, enrol, key, new_phone


@pytest.fixture
async def http(platform_stack: Stack) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=10)


async def test_profile_attributes_and_consents_change_and_the_audit_names_only_fields(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    operator, app = (
        key(platform_stack, "sandbox", "operator"),
        key(platform_stack, "sandbox", "app"),
    )
    schema = {"attributes": {"shoe_size": "int", "vip": "bool", "anniversary": "date"}}
    assert (await http.put("/v1/admin/member-attributes", json=schema, headers=operator)).is_success
    phone = new_phone()
    enrolled = await http.post(
        "/v1/members", json={"identities": [{"type": "phone", "value": phone}]}, headers=app
    )
    member_id = enrolled.json()["member_id"]
    app = await as_member(platform_stack, http, member_id, tenant="sandbox")
    patch = {"name": "Wei Hua", "attributes": {"shoe_size": 41, "anniversary": "2021-06-01"}}

    changed = await http.patch(f"/v1/members/{member_id}/profile", json=patch, headers=app)
    unknown = await http.patch(
        f"/v1/members/{member_id}/profile",
        json={"name": "Other", "attributes": {"eye_colour": "blue"}},
        headers=app,
    )
    consented = await http.put(
        f"/v1/members/{member_id}/consents",
        json={"consents": {"marketing": True}, "source": "app_settings"},
        headers=app,
    )
    audit = await http.get(f"/v1/members/{member_id}/audit", headers=operator)

    assert changed.status_code == 200, changed.text
    assert changed.json()["profile"] == {
        "name": "Wei Hua",
        "attributes": {"shoe_size": 41, "anniversary": "2021-06-01"},
    }
    assert (unknown.status_code, unknown.json()["code"]) == (422, "validation_error")
    assert "profile.attributes.eye_colour" in unknown.json()["detail"]
    read = await http.get(f"/v1/members/{member_id}", headers=app)
    assert read.json()["profile"]["name"] == "Wei Hua"
    assert consented.json()["consents"] == {"marketing": True}
    entries = audit.json()["entries"]
    assert [e["action"] for e in entries] == [
        "consents.updated",
        "profile.updated",
        "member.enrolled",
    ]
    assert entries[1]["fields"] == [
        "profile.name",
        "profile.attributes.anniversary",
        "profile.attributes.shoe_size",
    ]
    assert entries[1]["actor"]["channel"] == "app"
    assert "Wei Hua" not in audit.text
    assert phone not in audit.text


async def test_an_operator_finds_members_by_filters_page_by_page_and_by_identity(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    mini, operator = (
        key(platform_stack, "demo", "miniprogram"),
        key(platform_stack, "demo", "operator"),
    )
    store = f"E2E-{uuid4().hex[:8]}"
    phones = [new_phone() for _ in range(3)]
    ids = []
    for phone in phones:
        body = {
            "identities": [{"type": "phone", "value": phone}],
            "profile": {"preferred_store_id": store},
        }
        ids.append((await http.post("/v1/members", json=body, headers=mini)).json()["member_id"])
    params: dict[str, str | int] = {"channel": "miniprogram", "preferred_store": store, "limit": 2}

    first = await http.get("/v1/admin/members", params=params, headers=operator)
    second = await http.get(
        "/v1/admin/members",
        params={**params, "cursor": first.json()["next_cursor"]},
        headers=operator,
    )
    exact = await http.get(
        "/v1/admin/members",
        params={"identity_type": "phone", "identity_value": phones[1]},
        headers=operator,
    )
    from_app = await http.get("/v1/admin/members", headers=mini)

    assert first.status_code == 200, first.text
    found = [m["member_id"] for m in first.json()["members"] + second.json()["members"]]
    assert found == sorted(ids, reverse=True)
    assert [m["member_id"] for m in exact.json()["members"]] == [ids[1]]
    assert from_app.status_code == 403


async def test_an_operator_reads_and_rewrites_the_tier_program_and_sets_a_manual_tier(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    operator = key(platform_stack, "demo", "operator")
    current = await http.get("/v1/admin/tier-program", headers=operator)
    assert current.status_code == 200, current.text
    program = {k: v for k, v in current.json().items() if k != "version"}
    assert [t["code"] for t in program["tiers"]] == ["member", "silver", "gold"]

    rewritten = await http.put("/v1/admin/tier-program", json=program, headers=operator)
    member_id = await enrol(platform_stack, http, new_phone(), "Chen Jing")
    manual = await http.put(
        f"/v1/admin/members/{member_id}/tier",
        json={"tier": "silver", "reason": "store opening", "until": "2030-01-01T00:00:00+08:00"},
        headers=operator,
    )
    export = await http.get(f"/v1/members/{member_id}/export", headers=operator)

    assert rewritten.json() == {**program, "version": current.json()["version"] + 1}
    assert manual.status_code == 200, manual.text
    assert manual.json()["tier"]["code"] == "silver"
    assert manual.json()["tier"]["manual"]["reverts_to"] == "member"
    history = [(t["to_tier"], t["reason"]) for t in export.json()["tier_history"]]
    assert history == [("member", "enrolment"), ("silver", "manual")]


async def test_operators_read_a_members_consent_history_newest_first(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    operator, pos = key(platform_stack, "demo", "operator"), key(platform_stack, "demo", "pos")
    enrolled = await http.post(
        "/v1/members",
        json={
            "store_id": "S001",
            "identities": [{"type": "phone", "value": new_phone()}],
            "consents": {"marketing": True},
        },
        headers=pos,
    )
    member_id = enrolled.json()["member_id"]
    for granted in (False, True):
        changed = await http.put(
            f"/v1/members/{member_id}/consents",
            json={"consents": {"marketing": granted, "profiling": not granted}, "source": "store"},
            headers=operator,
        )
        assert changed.status_code == 200, changed.text

    history = await http.get(f"/v1/members/{member_id}/consents/history", headers=operator)
    latest = await http.get(f"/v1/members/{member_id}/consents/history?limit=1", headers=operator)
    from_a_till = await http.get(f"/v1/members/{member_id}/consents/history", headers=pos)
    unknown = await http.get("/v1/members/mem_missing/consents/history", headers=operator)

    assert history.status_code == 200, history.text
    changes = [(c["purpose"], c["granted"]) for c in history.json()["changes"]]
    assert changes[-1] == ("marketing", True)  # at enrolment
    assert sorted(changes[:2]) == [("marketing", True), ("profiling", False)]
    assert len(changes) == 5
    assert history.json()["changes"][0]["actor"]["kind"] == "operator"
    assert len(latest.json()["changes"]) == 1
    assert from_a_till.status_code == 403
    assert (unknown.status_code, unknown.json()["code"]) == (404, "member_not_found")
