"""Keys, members, reads and fixtures shared by the points tests through the gateway."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import httpx
import pytest

from libs.stack.platform import Stack

Headers = dict[str, str]


def key(stack: Stack, tenant: str, channel: str) -> Headers:
    return {"Authorization": f"Bearer {stack.credentials['tenants'][tenant][channel]}"}


@pytest.fixture
async def http(platform_stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as client:
        yield client


@pytest.fixture
def operator(platform_stack: Stack) -> Headers:
    """The demo tenant's operator key."""
    return key(platform_stack, "demo", "operator")


@pytest.fixture
def pos(platform_stack: Stack) -> Headers:
    return key(platform_stack, "demo", "pos")


async def enrol(http: httpx.AsyncClient, headers: Headers) -> str:
    phone = f"+86137{uuid4().int % 10**8:08d}"
    body = {"store_id": "S001", "identities": [{"type": "phone", "value": phone}]}
    created = await http.post("/v1/members", json=body, headers=headers)
    assert created.status_code == 201, created.text
    member_id: str = created.json()["member_id"]
    return member_id


async def adjusted(
    http: httpx.AsyncClient, operator: Headers, member_id: str, points: int
) -> dict[str, Any]:
    body = {"adjustment_id": f"ADJ-{uuid4().hex}", "points": points, "reason": "welcome gift"}
    answer = await http.post(
        f"/v1/admin/members/{member_id}/points/adjustments", json=body, headers=operator
    )
    assert answer.status_code == 201, answer.text
    adjustment: dict[str, Any] = answer.json()
    return adjustment


async def balance(http: httpx.AsyncClient, headers: Headers, member_id: str) -> dict[str, Any]:
    answer = await http.get(f"/v1/members/{member_id}/points", headers=headers)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


async def ledger(http: httpx.AsyncClient, headers: Headers, member_id: str) -> list[dict[str, Any]]:
    answer = await http.get(f"/v1/members/{member_id}/points/ledger", headers=headers)
    assert answer.status_code == 200, answer.text
    entries: list[dict[str, Any]] = answer.json()["entries"]
    return entries
