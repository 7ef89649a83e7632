from __future__ import annotations

import time

from gateway.tests.integration.fakes import SLOW_PREFIX
from gateway.tests.integration.support import (
    SettingsFactory,
    new_phone,
    new_tenant,
    running_gateway,
    unused_address,
)


async def test_a_down_member_service_is_a_503_problem_not_a_hang(
    make_settings: SettingsFactory,
) -> None:
    settings = make_settings(member_addr=unused_address(), grpc_timeout_seconds=5.0)
    async with running_gateway(settings) as gateway:
        headers = await gateway.legacy_key(new_tenant(), "app")
        started = time.monotonic()

        response = await gateway.client.post(
            "/v1/members",
            json={"identities": [{"type": "phone", "value": new_phone()}]},
            headers=headers,
        )

    assert time.monotonic() - started < 2.0
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "1"
    assert response.json()["code"] == "service_unavailable"


async def test_a_member_service_too_slow_to_answer_is_a_504_problem(
    make_settings: SettingsFactory,
) -> None:
    async with running_gateway(make_settings(grpc_timeout_seconds=0.3)) as gateway:
        headers = await gateway.legacy_key(new_tenant(), "app")
        started = time.monotonic()

        response = await gateway.client.get(f"/v1/members/{SLOW_PREFIX}1", headers=headers)

    assert time.monotonic() - started < 2.0
    assert response.status_code == 504
    assert response.json()["code"] == "upstream_timeout"
