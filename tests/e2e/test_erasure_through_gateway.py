"""Erasure leaves nothing readable (DESIGN.md invariant 8), through the real platform.

A member with points, a coupon, a redemption, an idempotent enrolment and operator notes
that name them is erased; then every database of every service and of the gateway, every
message of every JetStream stream and every Redis key is read as raw bytes for their
name, phone and e-mail, and none is found, while their points still reconcile.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.coupon_support import issue, order, template
from tests.e2e.erasure_support import everywhere
from tests.e2e.gateway_support import http, key
from tests.support.polling import settled

__all__ = ["http"]

Headers = dict[str, str]


@pytest.fixture
def operator(platform_stack: Stack) -> Headers:
    return key(platform_stack, "demo", "operator")


@pytest.fixture
def pos(platform_stack: Stack) -> Headers:
    return key(platform_stack, "demo", "pos")


def a_person() -> dict[str, str]:
    """Values found nowhere else: a name, a phone (as sent and as stored), an e-mail."""
    tag = uuid4().hex[:10]
    digits = f"139{uuid4().int % 10**8:08d}"
    return {
        "name": f"Erasable Person {tag}",
        "phone": digits,
        "email": f"erasable.{tag}@example.com",
    }


def enrolment(person: dict[str, str]) -> dict[str, Any]:
    return {
        "channel": "pos",
        "store_id": "S001",
        "identities": [
            {"type": "phone", "value": f"+86{person['phone']}"},
            {"type": "email", "value": person["email"]},
        ],
        "profile": {"name": person["name"], "email": person["email"]},
        "consents": {"marketing": True},
    }


async def a_member_with_a_history(
    http: httpx.AsyncClient, operator: Headers, pos: Headers, person: dict[str, str]
) -> tuple[str, Headers]:
    """Enrolled with an Idempotency-Key; an order, an adjustment and a manual tier whose
    reasons name them, a coupon, a captured redemption."""
    enrol_headers = {**pos, "Idempotency-Key": f"enrol-{uuid4().hex}"}
    enrolled = await http.post("/v1/members", json=enrolment(person), headers=enrol_headers)
    assert enrolled.status_code == 201, enrolled.text
    member_id: str = enrolled.json()["member_id"]
    bought = await http.post("/v1/orders", json=order(member_id, "300.00"), headers=pos)
    assert bought.status_code == 201, bought.text
    note = f"goodwill: {person['name']} rang from {person['phone']} ({person['email']})"
    adjustment = {"adjustment_id": f"ADJ-{uuid4().hex}", "points": 500, "reason": note}
    adjusted = await http.post(
        f"/v1/admin/members/{member_id}/points/adjustments",
        json=adjustment,
        headers={**operator, "Idempotency-Key": uuid4().hex},
    )
    assert adjusted.status_code == 201, adjusted.text
    manual = {"tier": "silver", "reason": note[:200], "until": "2030-01-01T00:00:00+08:00"}
    tiered = await http.put(f"/v1/admin/members/{member_id}/tier", json=manual, headers=operator)
    assert tiered.status_code == 200, tiered.text
    coupons = await template(http, operator, name=f"erasure {uuid4().hex[:8]}")
    await issue(http, operator, member_id, coupons["template_id"])
    hold = {"member_id": member_id, "points": 100, "store_id": "S001"}
    held = await http.post("/v1/redemptions", json=hold, headers=pos)
    assert held.status_code == 201, held.text
    capture = f"/v1/redemptions/{held.json()['redemption_id']}/capture"
    assert (await http.post(capture, headers=pos)).status_code == 200
    return member_id, enrol_headers


async def test_an_erased_member_is_found_nowhere_and_their_points_still_reconcile(
    http: httpx.AsyncClient, platform_stack: Stack, operator: Headers, pos: Headers
) -> None:
    person = a_person()
    needles = [person["name"], person["phone"], person["email"]]
    member_id, enrol_headers = await a_member_with_a_history(http, operator, pos, person)
    assert await everywhere(platform_stack, needles)  # the scan does find them before

    erased = await http.post(f"/v1/members/{member_id}/erase", headers=operator)
    replayed = await http.post("/v1/members", json=enrolment(person), headers=enrol_headers)

    assert erased.status_code == 200, erased.text
    assert replayed.headers.get("Idempotency-Replayed") == "true"
    assert (replayed.status_code, replayed.json()["member_id"]) == (201, member_id)
    assert replayed.json()["status"] == "erased"
    assert not any(needle in replayed.text for needle in needles)

    async def left() -> list[str]:
        return await everywhere(platform_stack, needles)

    assert await settled(left, lambda places: not places, within=30.0) == []
    export = await http.get(f"/v1/members/{member_id}/export", headers=operator)
    assert export.status_code == 200, export.text
    assert not any(needle in export.text for needle in needles)
    reconciled = await http.post("/v1/admin/points/reconciliation", headers=operator)
    assert reconciled.status_code == 200, reconciled.text
    assert member_id not in str(reconciled.json()["drifting"])


async def test_the_export_holds_what_every_service_keeps_about_the_member(
    http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    person = a_person()
    member_id, _ = await a_member_with_a_history(http, operator, pos, person)

    answer = await http.get(f"/v1/members/{member_id}/export", headers=operator)

    assert answer.status_code == 200, answer.text
    export = answer.json()
    assert export["member"]["profile"]["name"] == person["name"]
    assert {"earn", "adjust", "redeem"} <= {e["type"] for e in export["ledger"]}
    [order] = export["orders"]
    assert (order["member_id"], order["total"]) == (member_id, "300.00")
    [redemption] = export["redemptions"]
    assert redemption["points"] == 100
    [coupon] = export["coupons"]
    assert coupon["member_id"] == member_id
    assert [t["to_tier"] for t in export["tier_history"]][-1] == "silver"
