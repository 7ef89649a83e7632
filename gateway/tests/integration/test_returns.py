"""POST /v1/orders/{order_id}/returns against the fake points service."""

from __future__ import annotations

from gateway.tests.integration.points_support import an_order, enrolled
from gateway.tests.integration.support import Gateway, new_tenant
from libs.ids import new_id


async def an_earned_order(gateway: Gateway, headers: dict[str, str]) -> str:
    member_id = await enrolled(gateway, headers)
    order = an_order(member_id)
    answer = await gateway.client.post("/v1/orders", json=order, headers=headers)
    assert answer.status_code == 201
    order_id: str = order["order_id"]
    return order_id


async def test_a_return_reverses_points_and_answers_201_with_the_balance(
    gateway: Gateway,
) -> None:
    headers = await gateway.key(new_tenant(), "pos", store_id="S001")
    order_id = await an_earned_order(gateway, headers)
    return_id = new_id("ret_")

    response = await gateway.client.post(
        f"/v1/orders/{order_id}/returns",
        json={"return_id": return_id, "amount": "199.00"},
        headers=headers,
    )

    assert response.status_code == 201
    assert response.json() == {
        "return_id": return_id,
        "order_id": order_id,
        "points_reversed": 199,
        "shortfall": 0,
        "balance": {"available": 199, "held": 0},
    }


async def test_the_same_return_again_answers_200_with_the_first_body(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "pos", store_id="S001")
    order_id = await an_earned_order(gateway, headers)
    body = {"return_id": new_id("ret_"), "lines": [{"sku": "SOCK-2", "quantity": 1}]}
    first = await gateway.client.post(f"/v1/orders/{order_id}/returns", json=body, headers=headers)

    again = await gateway.client.post(f"/v1/orders/{order_id}/returns", json=body, headers=headers)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()


async def test_a_return_of_an_unknown_order_is_order_not_found(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "app")

    response = await gateway.client.post(
        f"/v1/orders/{new_id('APP-')}/returns",
        json={"return_id": new_id("ret_"), "amount": "1.00"},
        headers=headers,
    )

    assert (response.status_code, response.json()["code"]) == (404, "order_not_found")


async def test_a_return_of_another_tenants_order_is_order_not_found(gateway: Gateway) -> None:
    demo = await gateway.key(new_tenant(), "pos", store_id="S001")
    sandbox = await gateway.key(new_tenant(), "pos", store_id="S001")
    order_id = await an_earned_order(gateway, demo)

    response = await gateway.client.post(
        f"/v1/orders/{order_id}/returns",
        json={"return_id": new_id("ret_"), "amount": "1.00"},
        headers=sandbox,
    )

    assert (response.status_code, response.json()["code"]) == (404, "order_not_found")


async def test_a_return_naming_both_lines_and_an_amount_is_refused(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "app")
    body = {"return_id": new_id("ret_"), "lines": [{"sku": "A", "quantity": 1}], "amount": "1.00"}

    response = await gateway.client.post("/v1/orders/o-1/returns", json=body, headers=headers)

    assert response.status_code == 422
    assert response.json()["detail"] == "body: give exactly one of lines and amount"


async def test_an_order_id_with_unsafe_characters_in_the_path_is_refused(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "app")

    response = await gateway.client.post(
        "/v1/orders/o%20-1/returns", json={"return_id": "r", "amount": "1.00"}, headers=headers
    )

    assert response.status_code == 422
    assert response.json()["detail"].startswith("path.order_id:")
