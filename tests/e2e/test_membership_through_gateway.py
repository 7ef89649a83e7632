"""Issue 3 through the whole running platform, over HTTP."""

from __future__ import annotations

from collections.abc import Awaitable
from uuid import uuid4

import bson
import httpx
import pytest

from libs.mongo import make_client
from libs.stack.platform import Stack
from tests.e2e.member_support import as_member, email_of, enrol, key, new_phone


@pytest.fixture
async def http(platform_stack: Stack) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=10)


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
        f"/v1/members/{member_id}/export", headers=await as_member(platform_stack, http, member_id)
    )
    from_till = await http.get(
        f"/v1/members/{member_id}/export", headers=key(platform_stack, "demo", "pos")
    )
    from_sandbox = await http.post(
        f"/v1/members/{member_id}/sessions", headers=key(platform_stack, "sandbox", "app")
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
    pos = key(platform_stack, "demo", "pos")
    first, second = new_phone(), new_phone()
    member_id = await enrol(platform_stack, http, first, "Li Lei")
    other_id = await enrol(platform_stack, http, new_phone(), "Han Meimei")
    app = await as_member(platform_stack, http, member_id)
    other_app = await as_member(platform_stack, http, other_id)

    linked = await http.post(
        f"/v1/members/{member_id}/identities",
        json={"type": "phone", "value": second[3:]},
        headers=app,
    )
    found = await http.get(
        "/v1/members/lookup", params={"type": "phone", "value": second}, headers=pos
    )
    taken = await http.post(
        f"/v1/members/{other_id}/identities",
        json={"type": "phone", "value": second},
        headers=other_app,
    )
    unlinked = await http.delete(f"/v1/members/{member_id}/identities/phone/{first}", headers=app)
    last = await http.delete(f"/v1/members/{member_id}/identities/phone/{second}", headers=app)

    assert linked.status_code == 201, linked.text
    assert found.json()["member_id"] == member_id
    assert (taken.status_code, taken.json()["code"]) == (409, "identity_taken")
    assert unlinked.json()["identities"] == [{"type": "phone", "value": second}]
    assert (last.status_code, last.json()["code"]) == (409, "last_identity")


async def test_the_till_resolves_the_code_the_app_shows_and_only_in_its_tenant(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    member_id = await enrol(platform_stack, http, new_phone(), "Zhang Wei")
    issued = await http.get(
        f"/v1/members/{member_id}/code", headers=await as_member(platform_stack, http, member_id)
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
