from __future__ import annotations

from datetime import datetime

import pytest

from gateway.tests.integration.points_support import an_order
from gateway.tests.integration.support import Gateway, new_phone, new_tenant


async def enrol(gateway: Gateway, headers: dict[str, str]) -> str:
    body = {"identities": [{"type": "phone", "value": new_phone()}]}
    response = await gateway.client.post("/v1/members", json=body, headers=headers)
    member_id: str = response.json()["member_id"]
    return member_id


@pytest.mark.parametrize("channel", ["app", "miniprogram"])
async def test_the_app_gets_a_code_the_till_resolves(gateway: Gateway, channel: str) -> None:
    tenant = new_tenant()
    app = await gateway.key(tenant, channel)  # type: ignore[arg-type]
    pos = await gateway.key(tenant, "pos", store_id="S001")
    member_id = await enrol(gateway, app)
    member = await gateway.member_token(tenant, member_id, channel)  # type: ignore[arg-type]

    issued = await gateway.client.get(f"/v1/members/{member_id}/code", headers=member)
    code = issued.json()["code"]
    found = await gateway.client.get(
        "/v1/members/lookup", params={"type": "code", "value": code}, headers=pos
    )

    assert issued.status_code == 200
    assert datetime.fromisoformat(issued.json()["expires_at"]).utcoffset() is not None
    assert found.json()["member_id"] == member_id


@pytest.mark.parametrize("channel", ["pos", "ecommerce", "operator"])
async def test_only_the_member_s_app_asks_for_a_code(gateway: Gateway, channel: str) -> None:
    tenant = new_tenant()
    member_id = await enrol(gateway, await gateway.key(tenant, "app"))
    headers = await gateway.key(tenant, channel)  # type: ignore[arg-type]

    response = await gateway.client.get(f"/v1/members/{member_id}/code", headers=headers)

    assert response.status_code == 403


async def test_an_unknown_code_is_404_member_not_found(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "pos", store_id="S001")

    response = await gateway.client.get(
        "/v1/members/lookup", params={"type": "code", "value": "forged.code"}, headers=headers
    )

    assert (response.status_code, response.json()["code"]) == (404, "member_not_found")


async def test_a_member_code_serves_the_first_till_only_and_a_new_code_serves_again(
    gateway: Gateway,
) -> None:
    tenant = new_tenant()
    app = await gateway.key(tenant, "app")
    till = await gateway.key(tenant, "pos", store_id="S001")
    other_till = await gateway.key(tenant, "pos", store_id="S002")
    member_id = await enrol(gateway, app)
    member = await gateway.member_token(tenant, member_id)

    code = (await gateway.client.get(f"/v1/members/{member_id}/code", headers=member)).json()[
        "code"
    ]
    lookup = {"type": "code", "value": code}
    first = await gateway.client.get("/v1/members/lookup", params=lookup, headers=till)
    same_till = await gateway.client.get("/v1/members/lookup", params=lookup, headers=till)
    replayed = await gateway.client.get("/v1/members/lookup", params=lookup, headers=other_till)
    order = an_order(identity=lookup, store_id="S002")
    spent = await gateway.client.post("/v1/orders", json=order, headers=other_till)
    fresh = (await gateway.client.get(f"/v1/members/{member_id}/code", headers=member)).json()
    again = await gateway.client.get(
        "/v1/members/lookup", params={"type": "code", "value": fresh["code"]}, headers=other_till
    )

    assert first.json()["member_id"] == same_till.json()["member_id"] == member_id
    assert (replayed.status_code, replayed.json()["code"]) == (404, "member_not_found")
    assert "another till" in replayed.json()["detail"]
    assert (spent.status_code, spent.json()["code"]) == (404, "member_not_found")
    assert fresh["code"] != code
    assert again.json()["member_id"] == member_id


async def test_a_member_code_pays_for_one_sale_and_a_retry_of_it_but_not_a_second(
    gateway: Gateway,
) -> None:
    tenant = new_tenant()
    app = await gateway.key(tenant, "app")
    till = await gateway.key(tenant, "pos", store_id="S001")
    member_id = await enrol(gateway, app)
    member = await gateway.member_token(tenant, member_id)
    code = (await gateway.client.get(f"/v1/members/{member_id}/code", headers=member)).json()[
        "code"
    ]
    by_code = {"type": "code", "value": code}

    looked_up = await gateway.client.get("/v1/members/lookup", params=by_code, headers=till)
    sale = an_order(identity=by_code)
    first = await gateway.client.post("/v1/orders", json=sale, headers=till)
    retried = await gateway.client.post("/v1/orders", json=sale, headers=till)
    second = await gateway.client.post("/v1/orders", json=an_order(identity=by_code), headers=till)

    assert looked_up.status_code == 200, looked_up.text
    assert first.status_code in (200, 201), first.text
    assert retried.status_code in (200, 201), retried.text
    assert (second.status_code, second.json()["code"]) == (404, "member_not_found")
    assert "another sale" in second.json()["detail"]


async def test_the_member_code_comes_drawn_as_a_qr_code_when_asked(gateway: Gateway) -> None:
    tenant = new_tenant()
    member_id = await enrol(gateway, await gateway.key(tenant, "app"))
    member = await gateway.member_token(tenant, member_id)

    plain = await gateway.client.get(f"/v1/members/{member_id}/code", headers=member)
    drawn = await gateway.client.get(f"/v1/members/{member_id}/code?qr=svg", headers=member)
    other = await gateway.client.get(f"/v1/members/{member_id}/code?qr=png", headers=member)

    assert "qr_svg" not in plain.json()
    assert drawn.json()["qr_svg"].startswith("data:image/svg+xml")
    assert "%3Cpath" in drawn.json()["qr_svg"]
    assert other.status_code == 422
