"""Every row of docs/reliability.md's bad-input table, sent to the running platform.

Each case must get its status and problem code as application/problem+json, and change
nothing: the caller's member keeps its balance and ledger, and the phone the enrolment
cases carry stays unknown.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any
from uuid import uuid4

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.bad_input import CASES, DOC, TOPICS, Case, World, enrolment, with_table

Headers = dict[str, str]
PROBE_PHONE = enrolment()["identities"][0]["value"]
RATE_LIMIT_RETRIES = 5


def bearer(secret: str) -> Headers:
    return {"Authorization": f"Bearer {secret}"}


def key(stack: Stack, tenant: str, channel: str) -> Headers:
    return bearer(stack.credentials["tenants"][tenant][channel])


def created(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code in (200, 201), answer.text
    body: dict[str, Any] = answer.json()
    return body


def member_with_points(http: httpx.Client, pos: Headers) -> str:
    phone = f"+86135{uuid4().int % 10**8:08d}"
    body = {"store_id": "S001", "identities": [{"type": "phone", "value": phone}]}
    member_id: str = created(http.post("/v1/members", json=body, headers=pos))["member_id"]
    order = {
        "order_id": f"BAD-SETUP-{uuid4().hex}",
        "member_id": member_id,
        "store_id": "S001",
        "occurred_at": "2026-11-25T10:15:00+08:00",
        "currency": "CNY",
        "total": "398.00",
        "lines": [{"sku": "SHOE-1", "category": "shoes", "quantity": 1, "unit_price": "398.00"}],
    }
    created(http.post("/v1/orders", json=order, headers=pos))
    return member_id


def spoiled_keys(http: httpx.Client, operator: Headers) -> tuple[str, str]:
    """A revoked key's secret, and a rotated key's old secret (rotated without grace)."""
    revoked = created(http.post("/v1/admin/keys", json={"channel": "pos"}, headers=operator))
    path = f"/v1/admin/keys/{revoked['key']['key_id']}"
    created(http.post(f"{path}/revoke", headers=operator))
    rotated = created(http.post("/v1/admin/keys", json={"channel": "pos"}, headers=operator))
    path = f"/v1/admin/keys/{rotated['key']['key_id']}"
    created(http.post(f"{path}/rotate", json={"grace_seconds": 0}, headers=operator))
    return revoked["secret"], rotated["secret"]


@pytest.fixture(scope="module")
def http(platform_stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=platform_stack.gateway_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def world(platform_stack: Stack, http: httpx.Client) -> World:
    """The caller is the sandbox tenant's till; the other tenant is demo."""
    pos = key(platform_stack, "sandbox", "pos")
    member_id = member_with_points(http, pos)
    demo_pos = key(platform_stack, "demo", "pos")
    other_member = member_with_points(http, demo_pos)
    held = {"member_id": other_member, "points": 10, "store_id": "S001"}
    redemption = created(http.post("/v1/redemptions", json=held, headers=demo_pos))
    revoked, retired = spoiled_keys(http, key(platform_stack, "sandbox", "operator"))
    return World(member_id, other_member, redemption["redemption_id"], revoked, retired)


def headers_for(case: Case, stack: Stack, world: World) -> Headers:
    secrets = {
        "unknown": f"lk_pos_{uuid4().hex}{uuid4().hex[:11]}",
        "revoked": world.revoked_key,
        "retired": world.retired_key,
    }
    if case.key == "none":
        return {}
    if case.key in secrets:
        return bearer(secrets[case.key])
    return key(stack, "sandbox", case.key)


def patiently(send: Callable[[], httpx.Response]) -> httpx.Response:
    """The answer, once the rate limiter lets the request through (the cases come fast)."""
    for _ in range(RATE_LIMIT_RETRIES):
        answer = send()
        if answer.status_code != 429:
            return answer
        time.sleep(float(answer.headers.get("Retry-After", "1")))
    return answer


def state(http: httpx.Client, stack: Stack, world: World) -> tuple[Any, ...]:
    """What a bad request must not change, read with the operator's key."""
    operator = key(stack, "sandbox", "operator")
    member = f"/v1/members/{world.member_id}"
    probe = {"type": "phone", "value": PROBE_PHONE}
    balance = patiently(partial(http.get, f"{member}/points", headers=operator))
    ledger = patiently(partial(http.get, f"{member}/points/ledger", headers=operator))
    lookup = patiently(partial(http.get, "/v1/members/lookup", params=probe, headers=operator))
    assert (balance.status_code, ledger.status_code) == (200, 200), ledger.text
    return balance.json(), ledger.json()["entries"], lookup.status_code


@pytest.mark.parametrize("case", CASES, ids=[c.tried for c in CASES])
def test_each_bad_input_gets_its_documented_problem_and_changes_nothing(
    case: Case, platform_stack: Stack, http: httpx.Client, world: World
) -> None:
    before = state(http, platform_stack, world)
    headers = headers_for(case, platform_stack, world) | case.headers
    if case.raw is not None:
        headers["Content-Type"] = "application/json"
    body = case.body(world) if case.body is not None else None

    answer = patiently(
        partial(
            http.request, case.method, case.url(world), headers=headers, content=case.raw, json=body
        )
    )

    assert (answer.status_code, answer.json().get("code")) == (case.status, case.code), answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert state(http, platform_stack, world) == before


def test_every_case_belongs_to_a_topic_of_the_table() -> None:
    assert {c.topic for c in CASES} == set(TOPICS)
    assert len({c.tried for c in CASES}) == len(CASES)


def test_the_document_shows_exactly_the_cases_tested() -> None:
    document = DOC.read_text(encoding="utf-8")

    assert with_table(document) == document, (
        "docs/reliability.md is out of date: python -m tests.e2e.bad_input --write "
        "docs/reliability.md"
    )
