"""POST /v1/carts/evaluate through the whole running platform: what a cart would earn,
which coupons apply and the way to the next tier, changing nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.coupon_support import Headers, cart, enrol, issue, order, template
from tests.e2e.member_support import key


@pytest.fixture
async def http(platform_stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=10) as client:
        yield client


async def bonus_campaign(http: httpx.AsyncClient, operator: Headers, sku: str) -> str:
    created = await http.post(
        "/v1/admin/campaigns",
        json={
            "name": "50 points on the preview bag",
            "trigger": "purchase",
            "conditions": {"skus": [sku]},
            "effect": {"type": "bonus_points", "points": 50},
            "budget": {"points": 1000},
        },
        headers=operator,
    )
    assert created.status_code == 201, created.text
    campaign_id: str = created.json()["campaign_id"]
    activated = await http.post(f"/v1/admin/campaigns/{campaign_id}/activate", headers=operator)
    assert activated.status_code == 200, activated.text
    return campaign_id


async def state(
    http: httpx.AsyncClient, pos: Headers, operator: Headers, member_id: str, campaign_id: str
) -> dict[str, Any]:
    """Everything the preview must leave as it was."""
    points = await http.get(f"/v1/members/{member_id}/points", headers=pos)
    ledger = await http.get(f"/v1/members/{member_id}/points/ledger", headers=pos)
    campaign = await http.get(f"/v1/admin/campaigns/{campaign_id}", headers=operator)
    coupons = await http.get(f"/v1/members/{member_id}/coupons", headers=pos)
    return {
        "balance": points.json(),
        "ledger": ledger.json()["entries"],
        "results": campaign.json()["results"],
        "coupons": coupons.json()["coupons"],
    }


async def test_a_cart_preview_shows_points_coupons_and_tier_and_changes_nothing(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos, operator = key(platform_stack, "demo", "pos"), key(platform_stack, "demo", "operator")
    sku = f"PREVIEW-{uuid4().hex[:8]}"
    campaign_id = await bonus_campaign(http, operator, sku)
    member_id = await enrol(http, pos)
    bought = await http.post("/v1/orders", json=order(member_id, "120.00"), headers=pos)
    assert bought.status_code == 201, bought.text
    offer = await template(http, operator)
    small = await template(http, operator, min_total="1000.00")
    code = (await issue(http, operator, member_id, offer["template_id"]))["code"]
    await issue(http, operator, member_id, small["template_id"])
    before = await state(http, pos, operator, member_id, campaign_id)

    answer = await http.post("/v1/carts/evaluate", json=cart(member_id, "150.00", sku), headers=pos)

    assert answer.status_code == 200, answer.text
    preview = answer.json()
    lines = {
        (line["source"], line.get("campaign_id")): line["points"]
        for line in preview["points"]["breakdown"]
    }
    assert lines[("base", None)] == 150
    assert lines[("campaign", campaign_id)] == 50
    assert preview["points"]["points_earned"] == sum(lines.values())
    assert [c["code"] for c in preview["coupons"]] == [code]
    assert preview["balance"]["available"] == before["balance"]["available"]
    progress = preview["tier_progress"]
    assert progress["member_id"] == member_id
    assert preview["still_needed_after_cart"] == max(
        0, progress["still_needed"] - preview["points"]["points_earned"]
    )
    assert await state(http, pos, operator, member_id, campaign_id) == before


async def test_a_cart_for_an_unknown_member_is_404(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos = key(platform_stack, "demo", "pos")

    answer = await http.post("/v1/carts/evaluate", json=cart("m-nobody", "10.00"), headers=pos)

    assert (answer.status_code, answer.json()["code"]) == (404, "member_not_found")
