"""Long operations the gateway runs in the background, through the running platform: a
bulk adjustment file of a few hundred rows answered 202 and applied while the caller
polls its operation, every row exactly once; one left by a gateway that stopped (its
lease run out) is resumed by the running gateway from its last step, applying nothing
twice."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx

from gateway.tenancy.operations import OPERATIONS
from libs.mongo import make_client
from libs.stack.mongo_auth import OWN_DATABASES
from libs.stack.platform import Stack
from tests.e2e.points_admin_support import Headers, balance, enrol, http, operator
from tests.support.operations import left_bulk_adjustment
from tests.support.polling import settled

__all__ = ["http", "operator"]  # fixtures

BULK = "/v1/admin/points/adjustments/bulk"
CSV = {"Content-Type": "text/csv"}


def a_file(members: list[str], rows: int) -> str:
    """`rows` rows over the members in turn, each crediting 3 points."""
    lines = [f"{members[n % len(members)]},3,season gift {n + 1}" for n in range(rows)]
    return "member_id,points,reason\n" + "\n".join(lines) + "\n"


async def finished(http: httpx.AsyncClient, path: str, headers: Headers) -> dict[str, Any]:
    async def read() -> dict[str, Any]:
        answer = await http.get(path, headers=headers)
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    return await settled(read, lambda op: op["state"] != "running", within=180, pause=0.5)


async def gifts_in_ledger(http: httpx.AsyncClient, headers: Headers, member_id: str) -> int:
    answer = await http.get(
        f"/v1/members/{member_id}/points/ledger", params={"limit": 200}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    return sum(1 for e in answer.json()["entries"] if e["points"] == 3)


async def members_of(http: httpx.AsyncClient, stack: Stack, count: int) -> list[str]:
    pos = {"Authorization": f"Bearer {stack.credentials['tenants']['demo']['pos']}"}
    return [await enrol(http, pos) for _ in range(count)]


async def test_a_file_of_hundreds_of_rows_applies_in_the_background_each_row_exactly_once(
    platform_stack: Stack, http: httpx.AsyncClient, operator: Headers
) -> None:
    members = await members_of(http, platform_stack, 3)
    file = a_file(members, 300)
    file_id = f"E2E-{uuid4().hex}"

    started = await http.post(
        BULK,
        content=file,
        params={"file_id": file_id, "async": "true"},
        headers={**operator, **CSV},
    )
    op = await finished(http, started.headers["location"], operator)
    again = await http.post(
        BULK,
        content=file,
        params={"file_id": file_id},
        headers={**operator, **CSV, "Prefer": "respond-async"},
    )
    op_again = await finished(http, again.headers["location"], operator)
    balances = [(await balance(http, operator, m))["available"] for m in members]
    entries = [await gifts_in_ledger(http, operator, m) for m in members]

    assert started.status_code == 202, started.text
    assert (op["state"], op["done"], op["total"]) == ("done", 300, 300)
    assert (op["result"]["accepted"], op["result"]["rejected"]) == (300, [])
    assert (op_again["result"]["accepted"], op_again["result"]["already_applied"]) == (0, 300)
    assert balances == [300, 300, 300]
    assert entries == [100, 100, 100]


async def test_an_operation_whose_gateway_stopped_is_resumed_and_applies_nothing_twice(
    platform_stack: Stack, http: httpx.AsyncClient, operator: Headers
) -> None:
    members = await members_of(http, platform_stack, 2)
    whoami = (await http.get("/v1/admin/whoami", headers=operator)).json()
    file_id = f"E2E-{uuid4().hex}"
    file = a_file(members, 200)
    # A gateway applied rows 1 to 150, recorded its first step (100 rows) and stopped.
    applied = await http.post(
        BULK, content=a_file(members, 150), params={"file_id": file_id}, headers={**operator, **CSV}
    )
    left = left_bulk_adjustment(whoami, file_id, file, done=100)
    client = make_client(platform_stack.urls["mongo"], app_name="e2e-background-operations")
    try:
        await client[OWN_DATABASES["gateway"]][OPERATIONS].insert_one(left)
    finally:
        await client.close()

    op = await finished(http, f"/v1/admin/operations/{left['_id']}", operator)
    balances = [(await balance(http, operator, m))["available"] for m in members]

    assert applied.json()["accepted"] == 150
    assert (op["state"], op["done"], op["total"]) == ("done", 200, 200)
    assert (op["result"]["accepted"], op["result"]["already_applied"]) == (150, 50)
    assert balances == [300, 300]
