"""The points endpoints when the points service is down: a 503 problem, not a hang."""

from __future__ import annotations

import time

import pytest

from gateway.tests.integration.points_support import an_order, enrolled
from gateway.tests.integration.support import (
    SettingsFactory,
    new_tenant,
    running_gateway,
    unused_address,
)


async def test_an_order_while_the_points_service_is_down_is_a_503_problem(
    make_settings: SettingsFactory,
) -> None:
    settings = make_settings(points_addr=unused_address(), grpc_timeout_seconds=5.0)
    async with running_gateway(settings) as gateway:
        headers = await gateway.key(new_tenant(), "pos", store_id="S001")
        member_id = await enrolled(gateway, headers)
        started = time.monotonic()

        response = await gateway.client.post(
            "/v1/orders", json=an_order(member_id), headers=headers
        )

    assert time.monotonic() - started < 2.0
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "1"
    assert response.json()["code"] == "service_unavailable"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1/members/{member_id}/points", None),
        ("GET", "/v1/members/{member_id}/points/ledger", None),
        ("POST", "/v1/redemptions", {"points": 1}),
    ],
)
async def test_reads_and_redemptions_while_the_points_service_is_down_are_503_problems(
    make_settings: SettingsFactory, method: str, path: str, body: dict[str, object] | None
) -> None:
    async with running_gateway(make_settings(points_addr=unused_address())) as gateway:
        headers = await gateway.legacy_key(new_tenant(), "app")
        member_id = await enrolled(gateway, headers)
        document = None if body is None else {"member_id": member_id, **body}

        response = await gateway.client.request(
            method, path.format(member_id=member_id), json=document, headers=headers
        )

    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"


async def test_an_order_while_the_member_service_is_down_is_a_503_problem(
    make_settings: SettingsFactory,
) -> None:
    async with running_gateway(make_settings(member_addr=unused_address())) as gateway:
        headers = await gateway.legacy_key(new_tenant(), "app")

        response = await gateway.client.post(
            "/v1/orders", json=an_order("mem_x", channel=None), headers=headers
        )

    assert (response.status_code, response.json()["code"]) == (503, "service_unavailable")
