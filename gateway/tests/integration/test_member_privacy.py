from __future__ import annotations

import pytest

from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.points_support import with_points
from gateway.tests.integration.support import Gateway, new_phone, new_tenant
from libs.ids import new_id
from loyalty.member.v1 import member_pb2


async def enrol(gateway: Gateway, tenant: str) -> str:
    headers = await gateway.key(tenant, "app")
    body = {
        "identities": [{"type": "phone", "value": new_phone()}],
        "profile": {"name": "Li Lei"},
    }
    response = await gateway.client.post("/v1/members", json=body, headers=headers)
    member_id: str = response.json()["member_id"]
    return member_id


async def test_an_operator_erases_a_member_and_the_service_learns_who_did(
    gateway: Gateway, services: FakeServices
) -> None:
    tenant = new_tenant()
    member_id = await enrol(gateway, tenant)
    operator = await gateway.key(tenant, "operator")

    response = await gateway.client.post(f"/v1/members/{member_id}/erase", headers=operator)

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["identities"], body["profile"]) == ("erased", [], {})
    sent = services.member.calls[-1]
    assert isinstance(sent, member_pb2.EraseMemberRequest)
    assert (sent.tenant_id, sent.actor.kind, sent.actor.channel) == (tenant, "operator", "operator")
    assert sent.actor.key_id.startswith("key_")


@pytest.mark.parametrize("channel", ["pos", "app", "ecommerce", "miniprogram"])
async def test_only_an_operator_key_may_erase(
    gateway: Gateway, services: FakeServices, channel: str
) -> None:
    tenant = new_tenant()
    member_id = await enrol(gateway, tenant)
    headers = await gateway.key(tenant, channel)  # type: ignore[arg-type]

    response = await gateway.client.post(f"/v1/members/{member_id}/erase", headers=headers)

    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert services.member.calls == []


async def test_erasing_without_a_key_is_401_before_anything_else(gateway: Gateway) -> None:
    response = await gateway.client.post("/v1/members/nobody/erase")
    assert response.status_code == 401


async def test_erasing_a_member_of_another_tenant_is_404(gateway: Gateway) -> None:
    member_id = await enrol(gateway, new_tenant())
    other = await gateway.key(new_tenant(), "operator")

    response = await gateway.client.post(f"/v1/members/{member_id}/erase", headers=other)

    assert (response.status_code, response.json()["code"]) == (404, "member_not_found")


@pytest.mark.parametrize("channel", ["operator", "app", "miniprogram"])
async def test_the_member_s_app_or_an_operator_exports_everything_held(
    gateway: Gateway, channel: str
) -> None:
    tenant = new_tenant()
    member_id = await enrol(gateway, tenant)
    headers = await gateway.key(tenant, channel)  # type: ignore[arg-type]

    response = await gateway.client.get(f"/v1/members/{member_id}/export", headers=headers)

    assert response.status_code == 200
    export = response.json()
    assert export["member"]["member_id"] == member_id
    assert export["member"]["profile"] == {"name": "Li Lei"}
    assert export["consent_history"][0]["source"] == "enrolment"
    assert export["tier_history"][0]["to_tier"] == "member"
    assert [a["action"] for a in export["audit"]] == ["member.exported"]
    assert export["audit"][0]["actor"]["channel"] == channel
    assert export["exported_at"]


@pytest.mark.parametrize("channel", ["pos", "ecommerce"])
async def test_a_till_or_the_web_shop_may_not_export(gateway: Gateway, channel: str) -> None:
    tenant = new_tenant()
    member_id = await enrol(gateway, tenant)
    headers = await gateway.key(tenant, channel)  # type: ignore[arg-type]

    response = await gateway.client.get(f"/v1/members/{member_id}/export", headers=headers)

    assert response.status_code == 403


async def test_the_audit_trail_is_for_operators_and_lists_fields_newest_first(
    gateway: Gateway,
) -> None:
    tenant = new_tenant()
    member_id = await enrol(gateway, tenant)
    operator = await gateway.key(tenant, "operator")
    await gateway.client.get(f"/v1/members/{member_id}/export", headers=operator)
    await gateway.client.post(f"/v1/members/{member_id}/erase", headers=operator)

    app = await gateway.client.get(
        f"/v1/members/{member_id}/audit", headers=await gateway.key(tenant, "app")
    )
    trail = await gateway.client.get(f"/v1/members/{member_id}/audit", headers=operator)
    bad = await gateway.client.get(
        f"/v1/members/{member_id}/audit", params={"limit": 0}, headers=operator
    )

    assert app.status_code == 403
    assert trail.status_code == 200
    entries = trail.json()["entries"]
    assert [e["action"] for e in entries] == ["member.erased", "member.exported"]
    assert entries[0]["fields"] == ["identities", "profile"]
    assert "next_cursor" not in trail.json()
    assert (bad.status_code, bad.json()["errors"][0]["location"]) == (422, "query.limit")


async def test_the_new_endpoints_are_documented_with_their_problems(gateway: Gateway) -> None:
    paths = (await gateway.client.get("/openapi.json")).json()["paths"]
    erase = paths["/v1/members/{member_id}/erase"]["post"]
    assert {"401", "403", "404"} <= set(erase["responses"])
    export = paths["/v1/members/{member_id}/export"]["get"]["responses"]["200"]
    schema = export["content"]["application/json"]["schema"]["$ref"]
    assert schema.endswith("/MemberExportOut")
    assert "/v1/members/{member_id}/audit" in paths


async def test_the_export_holds_the_ledger_orders_returns_redemptions_coupons_and_campaigns(
    gateway: Gateway, services: FakeServices
) -> None:
    tenant = new_tenant()
    pos, operator = await gateway.key(tenant, "pos"), await gateway.key(tenant, "operator")
    member_id = await with_points(gateway, pos)
    order_id = services.points.wallet(tenant, member_id).entries[0].order_id
    held = await gateway.client.post(
        "/v1/redemptions",
        json={"member_id": member_id, "points": 50, "store_id": "S001"},
        headers=pos,
    )
    assert held.status_code == 201, held.text
    capture = f"/v1/redemptions/{held.json()['redemption_id']}/capture"
    captured = await gateway.client.post(capture, headers=pos)
    returned = {"return_id": f"RET-{new_id()}", "lines": [{"sku": "SOCK-2", "quantity": 1}]}
    returns = await gateway.client.post(
        f"/v1/orders/{order_id}/returns", json=returned, headers=pos
    )
    coupon = services.coupons.give(tenant, member_id, campaign_id="cmp_welcome")

    response = await gateway.client.get(f"/v1/members/{member_id}/export", headers=operator)

    assert (returns.status_code, captured.status_code) == (201, 200), returns.text
    assert response.status_code == 200, response.text
    export = response.json()
    assert [e["type"] for e in export["ledger"]] == ["reverse", "redeem", "earn"]
    [order] = export["orders"]
    assert order["order_id"] == order_id
    assert [r["return_id"] for r in order["returns"]] == [returned["return_id"]]
    [redemption] = export["redemptions"]
    assert (redemption["redemption_id"], redemption["points"]) == (
        held.json()["redemption_id"],
        50,
    )
    assert [c["coupon_id"] for c in export["coupons"]] == [coupon.coupon_id]
    assert export["campaign_history"] == [
        {
            "campaign_id": "cmp_welcome",
            "kind": "coupon",
            "points": 0,
            "coupon_id": coupon.coupon_id,
            "at": export["coupons"][0]["issued_at"],
        }
    ]
    assert export["member"]["member_id"] == member_id
