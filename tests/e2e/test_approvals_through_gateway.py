"""Four eyes through the whole running platform: in a tenant of its own that holds
adjustments above 1,000 points, a support operator's credit waits, five colleagues
approve it at once, and the points move exactly once."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import httpx

from gateway.openapi.examples import BODY_EXAMPLES
from libs.stack.platform import Stack
from tests.e2e.gateway_support import admin_cli, bearer, http, new_operator, signed_in

__all__ = ["http"]  # fixtures


def tenant_keys(stack: Stack) -> tuple[str, dict[str, str]]:
    """A tenant of its own (its policy changes nothing elsewhere) and its admin key."""
    tenant = f"t-approvals-{uuid4().hex[:8]}"
    made = admin_cli(stack, "keys", "create", "--tenant", tenant, "--channel", "operator")
    return tenant, bearer(made["secret"])


async def test_concurrent_approvals_of_a_large_adjustment_move_the_points_once(
    http: httpx.AsyncClient, platform_stack: Stack
) -> None:
    tenant, admin = tenant_keys(platform_stack)
    maker = await signed_in(http, new_operator(platform_stack, "support", tenant=tenant))
    checkers = [
        await signed_in(http, new_operator(platform_stack, "support", tenant=tenant))
        for _ in range(5)
    ]
    rule = await http.put(
        "/v1/admin/points/settings", json=BODY_EXAMPLES["PointsSettingsBody"], headers=admin
    )
    assert rule.status_code == 200, rule.text
    policy = await http.put(
        "/v1/admin/approval-policy", json={"adjustment_points_above": 1000}, headers=admin
    )
    enrolled = await http.post(
        "/v1/members",
        json={"identities": [{"type": "app_user", "value": f"u-{uuid4().hex}"}]},
        headers=admin,
    )
    assert enrolled.status_code == 201, enrolled.text
    member_id = enrolled.json()["member_id"]
    adjustments = f"/v1/admin/members/{member_id}/points/adjustments"
    small = {"adjustment_id": f"ADJ-{uuid4().hex}", "points": 1000, "reason": "goodwill"}
    large = {"adjustment_id": f"ADJ-{uuid4().hex}", "points": 5000, "reason": "lost parcel"}

    at_once = await http.post(adjustments, json=small, headers=maker)
    held = await http.post(adjustments, json=large, headers=maker)
    waiting = await http.get(f"/v1/members/{member_id}/points", headers=admin)
    approve = f"{held.headers['location']}/approve"
    answers = await asyncio.gather(*(http.post(approve, headers=c) for c in checkers))
    balance = await http.get(f"/v1/members/{member_id}/points", headers=admin)
    ledger = await http.get(f"/v1/members/{member_id}/points/ledger", headers=admin)

    assert policy.status_code == 200, policy.text
    assert at_once.status_code == 201, at_once.text
    assert held.status_code == 202, held.text
    assert waiting.json()["available"] == 1000
    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409, 409]
    executed = next(a.json() for a in answers if a.status_code == 200)
    assert (executed["status"], executed["result_status"]) == ("executed", 201)
    assert executed["result"]["balance"]["available"] == 6000
    assert balance.json()["available"] == 6000
    assert sorted(e["points"] for e in ledger.json()["entries"]) == [1000, 5000]
