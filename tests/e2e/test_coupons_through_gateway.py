"""Coupons through the whole running platform: an operator issues one, the member sees it,
a till validates and redeems it once; a purchase campaign issues one; a merge moves them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from uuid import uuid4

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.coupon_support import enrol, issue, order, template
from tests.e2e.member_support import key
from tests.support.polling import eventually


@pytest.fixture
async def http(platform_stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=10) as client:
        yield client


async def test_an_issued_coupon_is_listed_validated_and_redeemed_once(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos, app = key(platform_stack, "demo", "pos"), key(platform_stack, "demo", "app")
    operator = key(platform_stack, "demo", "operator")
    offer = await template(http, operator)
    member_id = await enrol(http, pos)
    code = (await issue(http, operator, member_id, offer["template_id"]))["code"]

    listed = await http.get(f"/v1/members/{member_id}/coupons", headers=app)
    assert listed.status_code == 200, listed.text
    assert [(c["code"], c["state"]) for c in listed.json()["coupons"]] == [(code, "available")]

    sale = {
        "code": code.lower(),
        "member_id": member_id,
        "store_id": "S001",
        "currency": "CNY",
        "total": "150.00",
        "order_id": f"POS-{uuid4().hex}",
    }
    too_small = await http.post(
        "/v1/coupons/validate", json={**sale, "total": "99.00"}, headers=pos
    )
    valid = await http.post("/v1/coupons/validate", json=sale, headers=pos)
    assert (too_small.json()["valid"], too_small.json()["reason"]) == (
        False,
        "coupon_min_total_not_met",
    )
    assert valid.json()["valid"] is True
    assert valid.json()["coupon"]["discount"] == {
        "kind": "amount_off",
        "amount": "20.00",
        "currency": "CNY",
    }

    redemption = {**sale, "redemption_id": f"S001-{uuid4().hex}"}
    first = await http.post("/v1/coupons/redeem", json=redemption, headers=pos)
    again = await http.post("/v1/coupons/redeem", json=redemption, headers=pos)
    second_till = await http.post(
        "/v1/coupons/redeem", json={**redemption, "redemption_id": uuid4().hex}, headers=pos
    )

    assert first.status_code == 201, first.text
    assert (again.status_code, again.json()) == (200, first.json())
    assert second_till.status_code == 409
    assert second_till.json()["code"] == "coupon_used_up"
    after = await http.get(f"/v1/members/{member_id}/coupons", headers=app)
    assert after.json()["coupons"][0]["state"] == "redeemed"


async def test_a_coupon_redeemed_by_two_tills_at_once_succeeds_once(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos, operator = key(platform_stack, "demo", "pos"), key(platform_stack, "demo", "operator")
    offer = await template(http, operator)
    member_id = await enrol(http, pos)
    code = (await issue(http, operator, member_id, offer["template_id"]))["code"]
    sale = {"code": code, "member_id": member_id, "store_id": "S001"}

    answers = await asyncio.gather(
        *(
            http.post("/v1/coupons/redeem", json={**sale, "redemption_id": till}, headers=pos)
            for till in (f"S001-T1-{uuid4().hex}", f"S001-T2-{uuid4().hex}")
        )
    )

    assert sorted(a.status_code for a in answers) == [201, 409]
    assert {a.json().get("code") for a in answers if a.status_code == 409} == {"coupon_used_up"}


async def test_another_members_coupon_and_an_unknown_code_are_refused(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos, operator = key(platform_stack, "demo", "pos"), key(platform_stack, "demo", "operator")
    offer = await template(http, operator)
    owner, other = await enrol(http, pos), await enrol(http, pos)
    code = (await issue(http, operator, owner, offer["template_id"]))["code"]
    sale = {"member_id": other, "store_id": "S001", "redemption_id": uuid4().hex}

    wrong = await http.post("/v1/coupons/redeem", json={**sale, "code": code}, headers=pos)
    unknown = await http.post("/v1/coupons/redeem", json={**sale, "code": "ZZZZ-ZZZZ"}, headers=pos)

    assert (wrong.status_code, wrong.json()["code"]) == (409, "coupon_not_applicable")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "coupon_not_found")


async def test_a_purchase_campaign_with_a_coupon_effect_issues_it_for_the_order(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos, operator = key(platform_stack, "demo", "pos"), key(platform_stack, "demo", "operator")
    offer = await template(http, operator, name="Come back: CNY 20 off")
    sku = f"COUPON-{uuid4().hex[:8]}"
    campaign = await http.post(
        "/v1/admin/campaigns",
        json={
            "name": "A coupon with every bag",
            "trigger": "purchase",
            "conditions": {"skus": [sku]},
            "effect": {"type": "coupon", "template_id": offer["template_id"]},
        },
        headers=operator,
    )
    assert campaign.status_code == 201, campaign.text
    campaign_id = campaign.json()["campaign_id"]
    activated = await http.post(f"/v1/admin/campaigns/{campaign_id}/activate", headers=operator)
    assert activated.status_code == 200, activated.text
    member_id = await enrol(http, pos)

    async def bought_with_a_coupon() -> bool:
        """The campaign learns the member's consent from events, within seconds: until
        then an order earns no coupon, so the till buys again."""
        bought = await http.post("/v1/orders", json=order(member_id, "120.00", sku), headers=pos)
        assert bought.status_code == 201, bought.text
        listed = await http.get(f"/v1/members/{member_id}/coupons", headers=pos)
        return bool(listed.json()["coupons"])

    await eventually(bought_with_a_coupon, within=60, pause=2)
    listed = await http.get(f"/v1/members/{member_id}/coupons", headers=pos)
    assert [c.get("campaign_id") for c in listed.json()["coupons"]] == [campaign_id]


async def test_a_merged_members_coupons_move_to_the_survivor(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos, operator = key(platform_stack, "demo", "pos"), key(platform_stack, "demo", "operator")
    offer = await template(http, operator)
    survivor, merged = await enrol(http, pos), await enrol(http, pos)
    code = (await issue(http, operator, merged, offer["template_id"]))["code"]

    merge = await http.post(
        "/v1/members/merge", json={"survivor_id": survivor, "merged_id": merged}, headers=operator
    )
    assert merge.status_code == 200, merge.text

    async def moved() -> bool:
        sale = {"code": code, "member_id": survivor, "store_id": "S001"}
        valid = await http.post("/v1/coupons/validate", json=sale, headers=pos)
        return bool(valid.json()["valid"])

    await eventually(moved, within=15)
    listed = await http.get(f"/v1/members/{survivor}/coupons", headers=pos)
    assert [c["code"] for c in listed.json()["coupons"]] == [code]


async def test_a_templates_usage_counts_its_coupons_and_their_redemptions(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos, operator = key(platform_stack, "demo", "pos"), key(platform_stack, "demo", "operator")
    offer = await template(http, operator, min_total=None)
    template_id = offer["template_id"]
    assert "usage" not in offer  # a change answers the template, not its usage
    first, second = await enrol(http, pos), await enrol(http, pos)
    issued = (await issue(http, operator, first, template_id))["code"]
    await issue(http, operator, second, template_id)
    batch = await http.post(
        f"/v1/admin/coupon-templates/{template_id}/batches", json={"count": 3}, headers=operator
    )
    public_code = f"PUB{uuid4().hex[:8].upper()}"
    public = await http.post(
        f"/v1/admin/coupon-templates/{template_id}/public-codes",
        json={"code": public_code, "usage_limit": 10, "per_member_limit": 1},
        headers=operator,
    )
    assert (batch.status_code, public.status_code) == (201, 201), (batch.text, public.text)
    for code, member_id in ((issued, first), (public_code, first), (public_code, second)):
        redeemed = await http.post(
            "/v1/coupons/redeem",
            json={
                "code": code,
                "member_id": member_id,
                "store_id": "S001",
                "redemption_id": uuid4().hex,
            },
            headers=pos,
        )
        assert redeemed.status_code == 201, redeemed.text

    one = await http.get(f"/v1/admin/coupon-templates/{template_id}", headers=operator)
    listed = await http.get("/v1/admin/coupon-templates?limit=200", headers=operator)

    expected = {"coupons": 6, "redemptions": 3, "coupons_redeemed": 2}
    assert one.json()["usage"] == expected
    [row] = [t for t in listed.json()["templates"] if t["template_id"] == template_id]
    assert row["usage"] == expected
