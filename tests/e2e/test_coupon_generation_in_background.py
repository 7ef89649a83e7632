"""Bulk coupon codes the gateway generates in the background, through the running
platform: 2,500 codes asked with `?async=true` come as batches of at most 1,000, exactly
2,500 distinct codes; an operation left by a gateway that stopped after generating steps
it never recorded is resumed and generates nothing twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from gateway.tenancy.operations import OPERATIONS
from libs.mongo import make_client
from libs.stack.mongo_auth import OWN_DATABASES
from libs.stack.platform import Stack
from tests.e2e.coupon_support import template
from tests.e2e.points_admin_support import Headers, http, operator
from tests.support.polling import settled

__all__ = ["http", "operator"]  # fixtures


async def finished(http: httpx.AsyncClient, path: str, headers: Headers) -> dict[str, Any]:
    async def read() -> dict[str, Any]:
        answer = await http.get(path, headers=headers)
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    return await settled(read, lambda op: op["state"] != "running", within=240, pause=0.5)


async def codes_of(http: httpx.AsyncClient, headers: Headers, batch_id: str) -> list[str]:
    codes: list[str] = []
    after = ""
    while True:
        params: dict[str, str | int] = {"limit": 1000}
        if after:
            params["after"] = after
        page = await http.get(
            f"/v1/admin/coupon-batches/{batch_id}/codes", params=params, headers=headers
        )
        assert page.status_code == 200, page.text
        codes += [c["code"] for c in page.json()["codes"]]
        after = page.json().get("next_after") or ""
        if not after:
            return codes


async def coupons_of(http: httpx.AsyncClient, headers: Headers, template_id: str) -> int:
    answer = await http.get(f"/v1/admin/coupon-templates/{template_id}", headers=headers)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["usage"]["coupons"])


async def generated(
    http: httpx.AsyncClient, headers: Headers, template_id: str, count: int
) -> tuple[httpx.Response, dict[str, Any]]:
    started = await http.post(
        f"/v1/admin/coupon-templates/{template_id}/batches",
        params={"async": "true"},
        json={"count": count},
        headers=headers,
    )
    assert started.status_code == 202, started.text
    return started, await finished(http, started.headers["location"], headers)


async def test_codes_asked_async_are_generated_in_steps_each_code_once(
    platform_stack: Stack, http: httpx.AsyncClient, operator: Headers
) -> None:
    template_id = (await template(http, operator))["template_id"]

    started, op = await generated(http, operator, template_id, 2500)
    batches = op["result"]["batches"]
    codes = [code for b in batches for code in await codes_of(http, operator, b["batch_id"])]

    assert (started.json()["kind"], started.json()["subject"]) == ("coupon_codes", template_id)
    assert started.json()["background"] is True
    assert (op["state"], op["done"], op["total"]) == ("done", 2500, 2500)
    assert [b["count"] for b in batches] == [1000, 1000, 500]
    assert len(codes) == len(set(codes)) == 2500
    assert await coupons_of(http, operator, template_id) == 2500


async def test_a_generation_whose_gateway_stopped_is_resumed_and_generates_nothing_twice(
    platform_stack: Stack, http: httpx.AsyncClient, operator: Headers
) -> None:
    template_id = (await template(http, operator))["template_id"]
    _, op = await generated(http, operator, template_id, 2500)
    batches = op["result"]["batches"]
    # As a gateway leaves it that generated every step but recorded only the first, then
    # stopped: its lease run out a second ago.
    lease_ran_out = datetime.now(UTC) - timedelta(seconds=1)
    client = make_client(platform_stack.urls["mongo"], app_name="e2e-coupon-generation")
    try:
        await client[OWN_DATABASES["gateway"]][OPERATIONS].update_one(
            {"_id": op["operation_id"]},
            {
                "$set": {
                    "state": "running",
                    "done": 1000,
                    "result": {"batches": batches[:1]},
                    "lease_owner": "a-stopped-gateway",
                    "lease_until": lease_ran_out,
                }
            },
        )
    finally:
        await client.close()

    resumed = await finished(http, f"/v1/admin/operations/{op['operation_id']}", operator)

    assert (resumed["state"], resumed["done"], resumed["total"]) == ("done", 2500, 2500)
    assert resumed["result"]["batches"] == batches
    assert await coupons_of(http, operator, template_id) == 2500
