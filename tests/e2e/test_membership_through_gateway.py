"""Issue 3 through the whole running platform, over HTTP."""

from __future__ import annotations

from collections.abc import Awaitable
from uuid import uuid4

import bson
import httpx
import pytest

from libs.mongo import make_client
from libs.stack.platform import Stack


def key(stack: Stack, tenant: str, channel: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.credentials['tenants'][tenant][channel]}"}


def new_phone() -> str:
    return f"+86136{uuid4().int % 10**8:08d}"


def email_of(name: str) -> str:
    return f"{name.replace(' ', '.').lower()}@example.com"


@pytest.fixture
async def http(platform_stack: Stack) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=10)


async def enrol(stack: Stack, http: httpx.AsyncClient, phone: str, name: str) -> str:
    body = {
        "channel": "pos",
        "store_id": "S001",
        "identities": [{"type": "phone", "value": phone}],
        "profile": {"name": name, "birthday": "1988-02-29", "email": email_of(name)},
        "consents": {"marketing": True},
    }
    created = await http.post("/v1/members", json=body, headers=key(stack, "demo", "pos"))
    assert created.status_code == 201, created.text
    member_id: str = created.json()["member_id"]
    return member_id


async def member_database_bytes(stack: Stack) -> bytes:
    client = make_client(stack.urls["mongo"], app_name="e2e-raw-reader")
    try:
        db = client["loyalty_member"]
        chunks = [
            bson.encode(doc)
            for name in await db.list_collection_names()
            async for doc in db[name].find({})
        ]
        return b"".join(chunks)
    finally:
        await client.close()


async def test_an_erased_member_s_personal_data_is_nowhere_in_the_member_database(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    phone, name = new_phone(), f"Han Meimei {uuid4().hex[:8]}"
    member_id = await enrol(platform_stack, http, phone, name)
    operator = key(platform_stack, "demo", "operator")
    stored = await member_database_bytes(platform_stack)
    assert member_id.encode() in stored
    assert phone.encode() not in stored
    assert name.encode() not in stored

    erased = await http.post(f"/v1/members/{member_id}/erase", headers=operator)

    assert erased.status_code == 200, erased.text
    assert erased.json()["status"] == "erased"
    stored = await member_database_bytes(platform_stack)
    for value in (phone, phone[3:], name, email_of(name), "1988-02-29"):
        assert value.encode() not in stored, value
    read = await http.get(f"/v1/members/{member_id}", headers=operator)
    assert (read.json()["status"], read.json()["identities"]) == ("erased", [])
    lookup = await http.get(
        "/v1/members/lookup", params={"type": "phone", "value": phone}, headers=operator
    )
    assert lookup.status_code == 404


async def test_a_member_exports_their_data_from_the_app_but_not_from_a_till(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    phone, name = new_phone(), f"Li Lei {uuid4().hex[:8]}"
    member_id = await enrol(platform_stack, http, phone, name)

    export = await http.get(
        f"/v1/members/{member_id}/export", headers=key(platform_stack, "demo", "app")
    )
    from_till = await http.get(
        f"/v1/members/{member_id}/export", headers=key(platform_stack, "demo", "pos")
    )
    from_sandbox = await http.get(
        f"/v1/members/{member_id}/export", headers=key(platform_stack, "sandbox", "app")
    )

    assert export.status_code == 200, export.text
    body = export.json()
    assert body["member"]["profile"]["name"] == name
    assert body["member"]["identities"] == [{"type": "phone", "value": phone}]
    assert [c["purpose"] for c in body["consent_history"]] == ["marketing"]
    assert [t["to_tier"] for t in body["tier_history"]] == ["member"]
    assert [a["action"] for a in body["audit"]] == ["member.enrolled", "member.exported"]
    assert phone not in str(body["audit"])
    assert from_till.status_code == 403
    assert from_sandbox.status_code == 404


async def test_a_second_phone_links_finds_the_member_and_cannot_be_taken_by_another(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    app, pos = key(platform_stack, "demo", "app"), key(platform_stack, "demo", "pos")
    first, second = new_phone(), new_phone()
    member_id = await enrol(platform_stack, http, first, "Li Lei")
    other_id = await enrol(platform_stack, http, new_phone(), "Han Meimei")

    linked = await http.post(
        f"/v1/members/{member_id}/identities",
        json={"type": "phone", "value": second[3:]},
        headers=app,
    )
    found = await http.get(
        "/v1/members/lookup", params={"type": "phone", "value": second}, headers=pos
    )
    taken = await http.post(
        f"/v1/members/{other_id}/identities", json={"type": "phone", "value": second}, headers=app
    )
    unlinked = await http.delete(f"/v1/members/{member_id}/identities/phone/{first}", headers=app)
    last = await http.delete(f"/v1/members/{member_id}/identities/phone/{second}", headers=app)

    assert linked.status_code == 201, linked.text
    assert found.json()["member_id"] == member_id
    assert (taken.status_code, taken.json()["code"]) == (409, "identity_taken")
    assert unlinked.json()["identities"] == [{"type": "phone", "value": second}]
    assert (last.status_code, last.json()["code"]) == (409, "last_identity")


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


async def test_the_till_resolves_the_code_the_app_shows_and_only_in_its_tenant(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    member_id = await enrol(platform_stack, http, new_phone(), "Zhang Wei")
    issued = await http.get(
        f"/v1/members/{member_id}/code", headers=key(platform_stack, "demo", "app")
    )
    code = issued.json()["code"]
    payload, signature = code.split(".")

    def lookup(tenant: str, value: str) -> Awaitable[httpx.Response]:
        return http.get(
            "/v1/members/lookup",
            params={"type": "code", "value": value},
            headers=key(platform_stack, tenant, "pos"),
        )

    found = await lookup("demo", code)
    foreign = await lookup("sandbox", code)
    forged = await lookup("demo", f"{payload}.{signature[::-1]}")

    assert issued.status_code == 200, issued.text
    assert found.json()["member_id"] == member_id
    assert (foreign.status_code, foreign.json()["code"]) == (404, "member_not_found")
    assert (forged.status_code, forged.json()["code"]) == (404, "member_not_found")


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
