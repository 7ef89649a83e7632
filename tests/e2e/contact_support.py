"""What the contact-history tests share: reading a member's timeline (and waiting for
kinds of entries in it), signing an operator in, a purchase, a member's own feedback."""

from __future__ import annotations

from typing import Any

import httpx

from libs.stack.platform import Stack
from tests.e2e.gateway_support import Headers, an_order, new_operator, signed_in
from tests.support.polling import settled


async def timeline(
    http: httpx.AsyncClient, headers: Headers, member_id: str, **params: Any
) -> dict[str, Any]:
    answer = await http.get(
        f"/v1/admin/members/{member_id}/timeline", params=params, headers=headers
    )
    assert answer.status_code == 200, answer.text
    page: dict[str, Any] = answer.json()
    return page


def kinds(page: dict[str, Any]) -> set[str]:
    return {entry["kind"] for entry in page["entries"]}


async def timeline_with(
    http: httpx.AsyncClient, headers: Headers, member_id: str, wanted: set[str]
) -> dict[str, Any]:
    return await settled(
        lambda: timeline(http, headers, member_id),
        lambda page: wanted <= kinds(page),
        within=60,
    )


async def operator(
    platform_stack: Stack, http: httpx.AsyncClient, role: str, *stores: str
) -> Headers:
    return await signed_in(http, new_operator(platform_stack, role, stores))


async def buy(http: httpx.AsyncClient, pos: Headers, member_id: str, store_id: str) -> str:
    order = an_order(member_id, store_id)
    answer = await http.post("/v1/orders", json=order, headers=pos)
    assert answer.status_code == 201, answer.text
    order_id: str = order["order_id"]
    return order_id


async def feedback_of(http: httpx.AsyncClient, member: Headers, member_id: str) -> list[Any]:
    answer = await http.get(f"/v1/members/{member_id}/feedback", headers=member)
    assert answer.status_code == 200, answer.text
    found: list[Any] = answer.json()["feedback"]
    return found
