"""The first vertical slice through the whole running platform, over HTTP."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import httpx
import nats
import pytest

from libs.stack.platform import Stack
from loyalty.member.v1 import events_pb2


def key(stack: Stack, tenant: str, channel: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.credentials['tenants'][tenant][channel]}"}


def new_phone() -> str:
    return f"+86137{uuid4().int % 10**8:08d}"


def enrolment(phone: str) -> dict[str, object]:
    return {
        "channel": "pos",
        "store_id": "S001",
        "identities": [{"type": "phone", "value": phone}],
        "profile": {"name": "Li Lei", "birthday": "1990-05-01"},
        "consents": {"marketing": True},
    }


@pytest.fixture
async def http(platform_stack: Stack) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=10)


async def test_a_pos_enrolment_can_be_read_back(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos = key(platform_stack, "demo", "pos")
    created = await http.post("/v1/members", json=enrolment(new_phone()), headers=pos)
    assert created.status_code == 201, created.text
    member = created.json()
    assert member["created"] is True
    assert member["status"] == "active"
    assert member["tier"]["code"] == "member"
    assert member["consents"] == {"marketing": True}
    read = await http.get(f"/v1/members/{member['member_id']}", headers=pos)
    assert read.status_code == 200
    assert read.json()["identities"] == member["identities"]


async def test_a_second_enrolment_with_the_same_phone_returns_the_first_member(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    phone = new_phone()
    first = await http.post(
        "/v1/members", json=enrolment(phone), headers=key(platform_stack, "demo", "pos")
    )
    app_body = {"channel": "app", "identities": [{"type": "phone", "value": phone[3:]}]}
    again = await http.post(
        "/v1/members", json=app_body, headers=key(platform_stack, "demo", "app")
    )
    assert again.status_code == 200, again.text
    assert again.json()["created"] is False
    assert again.json()["member_id"] == first.json()["member_id"]


async def test_a_sandbox_key_cannot_see_a_demo_member(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    created = await http.post(
        "/v1/members", json=enrolment(new_phone()), headers=key(platform_stack, "demo", "pos")
    )
    member_id = created.json()["member_id"]
    answer = await http.get(
        f"/v1/members/{member_id}", headers=key(platform_stack, "sandbox", "pos")
    )
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == "member_not_found"


async def test_a_request_without_a_key_is_401_problem_json(http: httpx.AsyncClient) -> None:
    answer = await http.post("/v1/members", json=enrolment(new_phone()))
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["status"] == 401
    assert problem["code"]
    assert problem["title"]


async def test_health_and_readiness_need_no_key(http: httpx.AsyncClient) -> None:
    assert (await http.get("/healthz")).status_code == 200
    assert (await http.get("/readyz")).status_code == 200
    assert (await http.get("/openapi.json")).json()["paths"]["/v1/members"]


async def test_an_enrolment_through_the_gateway_lands_in_the_event_stream(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    created = await http.post(
        "/v1/members", json=enrolment(new_phone()), headers=key(platform_stack, "demo", "pos")
    )
    member_id = created.json()["member_id"]
    nc = await nats.connect(platform_stack.urls["nats"])
    try:
        sub = await nc.jetstream().subscribe("loyalty.demo.member.enrolled", ordered_consumer=True)
        async with asyncio.timeout(15):
            while True:
                event = events_pb2.MemberEnrolled.FromString((await sub.next_msg(timeout=15)).data)
                if event.member_id == member_id:
                    break
        assert event.meta.tenant_id == "demo"
        assert event.channel == "pos"
        assert event.store_id == "S001"
    finally:
        await nc.close()
