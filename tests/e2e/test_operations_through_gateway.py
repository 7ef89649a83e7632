"""Records of long operations through the running platform: an operator's page records
what it runs as it goes, and finds it again later; nobody else reads or changes it."""

from __future__ import annotations

from uuid import uuid4

import httpx

from libs.stack.platform import Stack
from tests.e2e.gateway_support import new_operator, signed_in
from tests.e2e.points_admin_support import Headers, http, operator

__all__ = ["http", "operator"]  # fixtures


async def test_an_operation_is_recorded_step_by_step_and_found_again_by_its_operator(
    platform_stack: Stack, http: httpx.AsyncClient, operator: Headers
) -> None:
    marketer = await signed_in(http, new_operator(platform_stack, "marketer"))
    other = await signed_in(http, new_operator(platform_stack, "marketer"))
    subject = f"tpl_{uuid4().hex[:8]}"
    body = {"kind": "coupon_codes", "subject": subject, "total": 3}

    started = await http.post("/v1/admin/operations", json=body, headers=marketer)
    path = f"/v1/admin/operations/{started.json()['operation_id']}"
    step = await http.put(
        path, json={"done": 1, "total": 3, "result": {"batches": ["b1"]}}, headers=marketer
    )
    ended = await http.put(
        path,
        json={"state": "done", "done": 3, "total": 3, "result": {"batches": ["b1", "b2"]}},
        headers=marketer,
    )
    after_end = await http.put(path, json={"done": 2, "total": 3}, headers=marketer)
    by_other = await http.put(path, json={"done": 2, "total": 3}, headers=other)
    found = await http.get(
        "/v1/admin/operations",
        params={"kind": "coupon_codes", "subject": subject},
        headers=marketer,
    )
    not_theirs = await http.get("/v1/admin/operations", params={"subject": subject}, headers=other)
    unknown_kind = await http.post(
        "/v1/admin/operations", json={**body, "kind": "reindex"}, headers=marketer
    )

    assert started.status_code == 201, started.text
    assert (started.json()["state"], started.json()["done"]) == ("running", 0)
    assert (step.json()["state"], step.json()["done"]) == ("running", 1)
    assert ended.json()["state"] == "done"
    assert (after_end.status_code, after_end.json()["code"]) == (409, "operation_finished")
    assert (by_other.status_code, by_other.json()["code"]) == (404, "operation_not_found")
    [listed] = found.json()["operations"]
    assert (listed["state"], listed["result"]) == ("done", {"batches": ["b1", "b2"]})
    assert not_theirs.json()["operations"] == []
    assert (unknown_kind.status_code, unknown_kind.json()["errors"][0]["code"]) == (
        422,
        "not_allowed",
    )
