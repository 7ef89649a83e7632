"""Who may call the points endpoints: 401, then 403, then 422, and nothing changes."""

from __future__ import annotations

import pytest

from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.points_support import an_order, enrolled
from gateway.tests.integration.support import Gateway, new_tenant
from libs.ids import new_id

POSTS = ["/v1/orders", "/v1/orders/o-1/returns", "/v1/redemptions"]
EMPTY_POSTS = ["/v1/redemptions/r-1/capture", "/v1/redemptions/r-1/cancel"]
READS = ["/v1/members/m-1/points", "/v1/members/m-1/points/ledger"]


@pytest.mark.parametrize("path", POSTS + EMPTY_POSTS)
async def test_a_points_post_without_a_key_is_unauthorized_whatever_the_body(
    gateway: Gateway, path: str
) -> None:
    response = await gateway.client.post(path, content=b"{not json")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


@pytest.mark.parametrize("path", READS)
async def test_a_points_read_without_a_valid_key_is_unauthorized(
    gateway: Gateway, path: str
) -> None:
    response = await gateway.client.get(path, headers={"Authorization": "Bearer lk_app_nope"})

    assert response.status_code == 401


@pytest.mark.parametrize("path", POSTS + EMPTY_POSTS)
async def test_a_key_without_points_write_is_forbidden_before_the_body_is_read(
    gateway: Gateway, path: str
) -> None:
    headers = await gateway.key(new_tenant(), "app", scopes=["members:read", "points:read"])

    response = await gateway.client.post(path, content=b"{not json", headers=headers)

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize("path", READS)
async def test_a_key_without_points_read_is_forbidden_before_the_query_is_checked(
    gateway: Gateway, path: str
) -> None:
    headers = await gateway.key(new_tenant(), "app", scopes=["points:write"])

    response = await gateway.client.get(path, params={"limit": "0"}, headers=headers)

    assert response.status_code == 403


@pytest.mark.parametrize("path", POSTS)
async def test_a_bad_body_from_an_allowed_key_is_a_validation_error(
    gateway: Gateway, path: str
) -> None:
    headers = await gateway.key(new_tenant(), "app")

    response = await gateway.client.post(path, content=b"{not json", headers=headers)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


async def test_a_store_bound_key_ordering_for_another_store_is_forbidden_even_with_a_bad_body(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = await gateway.key(new_tenant(), "pos", store_id="S001")
    body = an_order(new_id("mem_"), store_id="S002", total=398, lines=[], surprise=True)

    response = await gateway.client.post("/v1/orders", json=body, headers=headers)

    assert response.status_code == 403
    assert "S001" in response.json()["detail"]
    assert services.points.accruals == []


async def test_a_store_bound_key_redeeming_for_another_store_is_forbidden(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = await gateway.key(new_tenant(), "pos", store_id="S001")
    body = {"member_id": new_id("mem_"), "points": 10, "store_id": "S003"}

    response = await gateway.client.post("/v1/redemptions", json=body, headers=headers)

    assert response.status_code == 403
    assert services.points.holds == []


async def test_a_store_bound_key_orders_for_its_own_store(
    gateway: Gateway, services: FakeServices
) -> None:
    tenant = new_tenant()
    headers = await gateway.key(tenant, "pos", store_id="S002")
    member_id = await enrolled(gateway, await gateway.key(tenant, "pos", store_id="S001"))

    response = await gateway.client.post(
        "/v1/orders", json=an_order(member_id, store_id=None), headers=headers
    )

    assert response.status_code == 201
    assert services.points.accruals[-1].store_id == "S002"


async def test_a_malformed_order_changes_nothing(gateway: Gateway, services: FakeServices) -> None:
    headers = await gateway.key(new_tenant(), "pos", store_id="S001")
    member_id = await enrolled(gateway, headers)

    response = await gateway.client.post(
        "/v1/orders", json=an_order(member_id, lines=[]), headers=headers
    )

    assert response.status_code == 422
    assert response.json()["detail"].startswith("body.lines: ")
    assert services.points.accruals == []
