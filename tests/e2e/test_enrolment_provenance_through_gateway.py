"""Enrolment neither leaks nor links without a trace (issue 15, item 5), through the whole
platform: a store manager enrolling another store's member's phone gets no personal data;
the identity they add is traced to their channel, store and key, in the audit trail too;
support unlinks it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote
from uuid import uuid4

import httpx

from libs.stack.platform import Stack
from tests.e2e.gateway_support import Headers, http, key, new_operator, new_phone, signed_in

__all__ = ["http"]


async def enrolled_at_s001(http: httpx.AsyncClient, pos: Headers, phone: str) -> str:
    body = {
        "store_id": "S001",
        "identities": [{"type": "phone", "value": phone}],
        "profile": {"name": "Li Lei", "email": f"li-{uuid4().hex[:8]}@example.com"},
    }
    created = await http.post("/v1/members", json=body, headers=pos)
    assert created.status_code == 201, created.text
    member_id: str = created.json()["member_id"]
    return member_id


async def whoami(http: httpx.AsyncClient, headers: Headers) -> Any:
    return (await http.get("/v1/admin/whoami", headers=headers)).json()


async def test_a_manager_enrolling_another_stores_member_reads_nothing_and_leaves_a_trace(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos = key(platform_stack, "demo", "pos")
    phone = new_phone()
    member_id = await enrolled_at_s001(http, pos, phone)
    manager = await signed_in(http, new_operator(platform_stack, "store_manager", ["S002"]))
    support = await signed_in(http, new_operator(platform_stack, "support"))
    unionid = f"oU_{uuid4().hex}"
    body = {
        "store_id": "S002",
        "identities": [
            {"type": "phone", "value": phone},
            {"type": "wechat_unionid", "value": unionid},
        ],
    }

    once = manager | {"Idempotency-Key": f"enrol-{uuid4().hex}"}
    found = await http.post("/v1/members", json=body, headers=once)
    replayed = await http.post("/v1/members", json=body, headers=once)
    member = (await http.get(f"/v1/members/{member_id}", headers=support)).json()
    audit = (await http.get(f"/v1/members/{member_id}/audit", headers=support)).json()

    assert found.status_code == 200, found.text
    answer = found.json()
    assert (answer["member_id"], answer["created"]) == (member_id, False)
    assert answer["identities"] == []
    assert answer.get("profile", {}) == {}
    assert "Li Lei" not in found.text
    assert phone.removeprefix("+86") not in found.text
    assert (replayed.status_code, replayed.json()) == (200, answer)
    asserted = {i["value"]: i.get("asserted_by") for i in member["identities"]}
    manager_key = (await whoami(http, manager))["key_id"]
    assert asserted[unionid] == {
        "kind": "operator",
        "channel": "operator",
        "key_id": manager_key,
        "store_id": "S002",
    }
    assert (asserted[phone]["channel"], asserted[phone]["store_id"]) == ("pos", "S001")
    [linked] = [e for e in audit["entries"] if e["action"] == "identity.linked"]
    assert (linked["actor"]["store_id"], linked["actor"]["key_id"]) == ("S002", manager_key)

    unlinked = await http.delete(
        f"/v1/members/{member_id}/identities/wechat_unionid/{quote(unionid)}", headers=support
    )
    lookup = await http.get(
        "/v1/members/lookup", params={"type": "wechat_unionid", "value": unionid}, headers=pos
    )
    assert unlinked.status_code == 200, unlinked.text
    assert (lookup.status_code, lookup.json()["code"]) == (404, "member_not_found")


async def test_a_store_manager_enrolling_their_own_stores_member_still_reads_it(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos = key(platform_stack, "demo", "pos")
    phone = new_phone()
    member_id = await enrolled_at_s001(http, pos, phone)
    manager = await signed_in(http, new_operator(platform_stack, "store_manager", ["S001"]))

    found = await http.post(
        "/v1/members",
        json={"store_id": "S001", "identities": [{"type": "phone", "value": phone}]},
        headers=manager,
    )

    assert found.status_code == 200, found.text
    assert found.json()["member_id"] == member_id
    assert found.json()["profile"]["name"] == "Li Lei"
    assert [i["value"] for i in found.json()["identities"]] == [phone]


async def test_a_touchpoint_enrolment_keeps_find_or_create_with_the_member_as_before(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos = key(platform_stack, "demo", "pos")
    phone = new_phone()
    member_id = await enrolled_at_s001(http, pos, phone)
    unionid = f"oU_{uuid4().hex}"
    body = {
        "identities": [
            {"type": "phone", "value": phone},
            {"type": "wechat_unionid", "value": unionid},
        ]
    }

    found = await http.post("/v1/members", json=body, headers=key(platform_stack, "demo", "app"))

    assert found.status_code == 200, found.text
    assert found.json()["member_id"] == member_id
    assert found.json()["profile"]["name"] == "Li Lei"
    assert found.json()["identities"] == [
        {"type": "phone", "value": phone},
        {"type": "wechat_unionid", "value": unionid},
    ]
