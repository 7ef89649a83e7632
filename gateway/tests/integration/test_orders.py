"""POST /v1/orders against the fake member and points services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.points_support import an_order, enrolled
from gateway.tests.integration.support import Gateway, new_phone, new_tenant
from libs.ids import new_id


async def test_an_order_earns_points_and_answers_201_with_the_breakdown_and_balance(
    gateway: Gateway, services: FakeServices
) -> None:
    tenant = new_tenant()
    headers = await gateway.key(tenant, "pos", store_id="S001")
    member_id = await enrolled(gateway, headers)
    order = an_order(member_id)

    response = await gateway.client.post("/v1/orders", json=order, headers=headers)

    assert response.status_code == 201
    assert response.json() == {
        "order_id": order["order_id"],
        "member_id": member_id,
        "points_earned": 398,
        "breakdown": [
            {
                "source": "base",
                "points": 398,
                "description": "1 point per unit",
                # A line without a reason code reads as written in every language.
                "localized": {"description": "1 point per unit"},
            }
        ],
        "bonus_pending": False,
        "balance": {"available": 398, "held": 0},
    }
    sent = services.points.accruals[-1]
    assert (sent.tenant_id, sent.channel, sent.store_id, sent.total) == (
        tenant,
        "pos",
        "S001",
        "398.00",
    )


async def test_the_points_service_learns_the_members_tier_and_enrolment(
    gateway: Gateway, services: FakeServices
) -> None:
    tenant = new_tenant()
    headers = await gateway.key(tenant, "ecommerce")
    member_id = await enrolled(gateway, headers)
    member = services.member.members[(tenant, member_id)]
    member.tier.code, member.tier.name, member.tier.multiplier = "gold", "Gold", "1.5"

    response = await gateway.client.post(
        "/v1/orders", json=an_order(member_id, channel=None, store_id=None), headers=headers
    )

    context = services.points.accruals[-1].member
    assert (context.member_id, context.tier_code, context.tier_name) == (member_id, "gold", "Gold")
    assert context.tier_multiplier == "1.5"
    assert context.enrolled_at == member.enrolled_at
    assert response.json()["points_earned"] == 597


async def test_an_order_may_name_the_member_by_a_phone_number(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = await gateway.key(new_tenant(), "pos", store_id="S001")
    phone = new_phone()
    member_id = await enrolled(gateway, headers, phone)
    order = an_order(identity={"type": "phone", "value": phone})

    response = await gateway.client.post("/v1/orders", json=order, headers=headers)

    assert response.status_code == 201
    assert response.json()["member_id"] == member_id


async def test_the_same_order_again_answers_200_with_the_first_body_and_credits_nothing(
    gateway: Gateway,
) -> None:
    headers = await gateway.key(new_tenant(), "pos", store_id="S001")
    member_id = await enrolled(gateway, headers)
    order = an_order(member_id)
    first = await gateway.client.post("/v1/orders", json=order, headers=headers)
    await gateway.client.post("/v1/orders", json=an_order(member_id), headers=headers)

    again = await gateway.client.post("/v1/orders", json=order, headers=headers)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    balance = await gateway.client.get(f"/v1/members/{member_id}/points", headers=headers)
    assert balance.json()["available"] == 2 * 398


async def test_the_same_order_id_with_another_body_is_an_order_conflict(
    gateway: Gateway,
) -> None:
    headers = await gateway.key(new_tenant(), "pos", store_id="S001")
    member_id = await enrolled(gateway, headers)
    order = an_order(member_id)
    await gateway.client.post("/v1/orders", json=order, headers=headers)

    response = await gateway.client.post(
        "/v1/orders", json={**order, "total": "1.00"}, headers=headers
    )

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "order_conflict"


async def test_an_order_for_an_unknown_member_is_not_found(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = await gateway.key(new_tenant(), "app")
    by_id = an_order(new_id("mem_"), channel="app", store_id=None)
    by_phone = an_order(identity={"type": "phone", "value": new_phone()}, channel=None)

    answers = [
        await gateway.client.post("/v1/orders", json=o, headers=headers) for o in (by_id, by_phone)
    ]

    assert [(a.status_code, a.json()["code"]) for a in answers] == [(404, "member_not_found")] * 2
    assert services.points.accruals == []


async def test_an_order_for_a_member_of_another_tenant_is_not_found(gateway: Gateway) -> None:
    demo = await gateway.key(new_tenant(), "pos", store_id="S001")
    sandbox = await gateway.key(new_tenant(), "pos", store_id="S001")
    member_id = await enrolled(gateway, demo)

    response = await gateway.client.post("/v1/orders", json=an_order(member_id), headers=sandbox)

    assert (response.status_code, response.json()["code"]) == (404, "member_not_found")


async def test_an_order_for_a_merged_member_credits_the_member_it_was_merged_into(
    gateway: Gateway, services: FakeServices
) -> None:
    tenant = new_tenant()
    headers = await gateway.key(tenant, "pos", store_id="S001")
    merged, survivor = await enrolled(gateway, headers), await enrolled(gateway, headers)
    services.member.members[(tenant, merged)].status = "merged"
    services.member.members[(tenant, merged)].merged_into = survivor

    response = await gateway.client.post("/v1/orders", json=an_order(merged), headers=headers)

    assert response.status_code == 201
    assert response.json()["member_id"] == survivor
    assert services.points.accruals[-1].member.member_id == survivor


async def test_an_order_for_an_erased_member_is_a_conflict(
    gateway: Gateway, services: FakeServices
) -> None:
    tenant = new_tenant()
    headers = await gateway.key(tenant, "pos", store_id="S001")
    member_id = await enrolled(gateway, headers)
    services.member.members[(tenant, member_id)].status = "erased"

    response = await gateway.client.post("/v1/orders", json=an_order(member_id), headers=headers)

    assert (response.status_code, response.json()["code"]) == (409, "member_not_active")
    assert services.points.accruals == []


async def test_an_order_time_without_an_offset_is_refused(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = await gateway.key(new_tenant(), "pos", store_id="S001")
    member_id = await enrolled(gateway, headers)
    order = an_order(member_id, occurred_at="2026-11-25T10:15:00")

    response = await gateway.client.post("/v1/orders", json=order, headers=headers)

    assert response.status_code == 422
    assert response.json()["detail"].startswith("body.occurred_at: ")
    assert "with an offset" in response.json()["detail"]
    assert services.points.accruals == []


async def test_an_order_of_yesterday_from_an_offline_till_is_accepted(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "pos", store_id="S001")
    member_id = await enrolled(gateway, headers)
    yesterday = (datetime.now(UTC) - timedelta(days=1)).isoformat()

    response = await gateway.client.post(
        "/v1/orders", json=an_order(member_id, occurred_at=yesterday), headers=headers
    )

    assert response.status_code == 201


async def test_money_sent_as_a_json_number_is_refused_naming_the_field(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "pos", store_id="S001")

    response = await gateway.client.post(
        "/v1/orders", json=an_order(new_id("mem_"), total=398.0), headers=headers
    )

    assert response.status_code == 422
    assert response.json()["detail"] == (
        'body.total: must be a decimal string such as "199.00", not a JSON number'
    )


async def test_an_order_naming_the_member_twice_is_refused(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "app")
    order = an_order(
        new_id("mem_"), identity={"type": "phone", "value": new_phone()}, channel="app"
    )

    response = await gateway.client.post("/v1/orders", json=order, headers=headers)

    assert response.status_code == 422
    assert response.json()["detail"] == "body: give exactly one of member_id and identity"


async def test_an_order_in_another_channel_than_the_keys_is_refused(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "ecommerce")
    member_id = await enrolled(gateway, headers)

    response = await gateway.client.post("/v1/orders", json=an_order(member_id), headers=headers)

    assert response.status_code == 422
    assert response.json()["detail"].startswith("body.channel:")


async def test_a_pos_order_naming_no_store_from_an_unbound_key_is_refused(
    gateway: Gateway,
) -> None:
    headers = await gateway.key(new_tenant(), "pos")
    member_id = await enrolled(gateway, headers)

    response = await gateway.client.post(
        "/v1/orders", json=an_order(member_id, store_id=None), headers=headers
    )

    assert response.status_code == 422
    assert response.json()["detail"].startswith("body.store_id:")
