"""Member tokens through the gateway and the real services (DESIGN.md invariant 8: a member
token acts for its own member only). docs/security.md names these tests for its claims."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.gateway_support import (
    admin_cli,
    an_order,
    enrol,
    http,
    key,
    member_session,
    new_key,
)

pytestmark = pytest.mark.e2e
__all__ = ["http"]


def new_tenant(stack: Stack, *settings: str) -> str:
    tenant = f"ms{uuid4().hex[:10]}"
    admin_cli(stack, "tenants", "configure", "--tenant", tenant, *settings)
    return tenant


async def test_a_member_token_reads_its_own_points_and_ledger_and_nothing_else(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    # the seeded demo tenant: member tokens are its only way for the app (no legacy access)
    app, pos = key(platform_stack, "demo", "app"), key(platform_stack, "demo", "pos")
    mine, theirs = await enrol(http, pos), await enrol(http, pos)
    earned = await http.post("/v1/orders", json=an_order(mine), headers=pos)
    assert earned.status_code == 201, earned.text

    member = await member_session(http, app, mine)
    points = await http.get(f"/v1/members/{mine}/points", headers=member)
    ledger = await http.get(f"/v1/members/{mine}/points/ledger", headers=member)
    other = await http.get(f"/v1/members/{theirs}/points", headers=member)
    other_ledger = await http.get(f"/v1/members/{theirs}/points/ledger", headers=member)
    operator_route = await http.get("/v1/admin/tier-program", headers=member)
    till_route = await http.post("/v1/orders", json=an_order(mine), headers=member)

    assert points.status_code == 200, points.text
    assert points.json()["available"] == earned.json()["balance"]["available"]
    assert [e["order_id"] for e in ledger.json()["entries"]] == [earned.json()["order_id"]]
    assert (other.status_code, other.json()["code"]) == (404, "member_not_found")
    assert other_ledger.status_code == 404
    assert (operator_route.status_code, operator_route.json()["code"]) == (403, "forbidden")
    assert till_route.status_code == 403


async def test_an_ended_or_expired_member_token_answers_401(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    tenant = new_tenant(platform_stack, "--member-token-seconds", "1")
    app = new_key(platform_stack, tenant, "app")
    member_id = await enrol(http, new_key(platform_stack, tenant, "pos"))
    ended = await member_session(http, app, member_id)
    expiring = await member_session(http, app, member_id)

    closed = await http.delete("/v1/member-sessions/current", headers=ended)
    after_end = await http.get(f"/v1/members/{member_id}", headers=ended)
    await asyncio.sleep(1.5)
    after_expiry = await http.get(f"/v1/members/{member_id}", headers=expiring)

    assert closed.status_code == 204
    assert after_end.status_code == 401
    assert after_expiry.status_code == 401


async def test_an_app_key_without_a_member_token_is_refused_on_a_new_tenant_s_member_routes(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    tenant = new_tenant(platform_stack)
    app, pos = new_key(platform_stack, tenant, "app"), new_key(platform_stack, tenant, "pos")
    mini = new_key(platform_stack, tenant, "miniprogram")
    member_id = await enrol(http, pos)

    refused = [
        await http.get(f"/v1/members/{member_id}{path}", headers=key)
        for path in ("", "/points", "/points/ledger", "/code", "/export")
        for key in (app, mini)
    ]
    transfer = await http.post(
        f"/v1/members/{member_id}/points/transfers",
        json={"transfer_id": uuid4().hex, "to_member_id": await enrol(http, pos), "points": 1},
        headers=app,
    )
    till_reads = await http.get(f"/v1/members/{member_id}/points", headers=pos)

    assert {(r.status_code, r.json()["code"]) for r in refused} == {(403, "member_token_required")}
    assert (transfer.status_code, transfer.json()["code"]) == (403, "member_token_required")
    assert till_reads.status_code == 200


async def test_a_tenant_that_keeps_the_legacy_key_access_lets_its_app_key_act_for_members(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    tenant = new_tenant(platform_stack, "--legacy-member-key-access", "on")
    app = new_key(platform_stack, tenant, "app")
    member_id = await enrol(http, new_key(platform_stack, tenant, "pos"))

    points = await http.get(f"/v1/members/{member_id}/points", headers=app)

    assert points.status_code == 200


async def test_a_token_of_a_merged_member_follows_them_to_the_survivor(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    tenant = new_tenant(platform_stack)
    app, pos = new_key(platform_stack, tenant, "app"), new_key(platform_stack, tenant, "pos")
    operator = new_key(platform_stack, tenant, "operator")
    survivor, merged = await enrol(http, pos), await enrol(http, pos)
    member = await member_session(http, app, merged)

    done = await http.post(
        "/v1/members/merge",
        json={"survivor_id": survivor, "merged_id": merged},
        headers=operator,
    )
    after = await http.get(f"/v1/members/{survivor}/points", headers=member)

    assert done.status_code == 200, done.text
    assert after.status_code == 200
