"""Long operations the gateway runs in the background (`?async=true`): a bulk adjustment
file answered 202 at once and applied step by step, followed at its operation; one left
by a gateway that stopped is resumed by another from its last step, applying nothing
twice."""

from __future__ import annotations

from typing import Any

from gateway.tenancy.operations import OPERATIONS
from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.points_support import enrolled
from gateway.tests.integration.support import Gateway, new_tenant
from libs.ids import new_id
from tests.support.operations import left_bulk_adjustment
from tests.support.polling import settled

BULK = "/v1/admin/points/adjustments/bulk"
HEADER = "member_id,points,reason\n"


async def operator_and_members(gateway: Gateway) -> tuple[dict[str, str], list[str]]:
    tenant = new_tenant()
    pos = await gateway.key(tenant, "pos", store_id="S001")
    members = [await enrolled(gateway, pos) for _ in range(2)]
    return await gateway.key(tenant, "operator"), members


def a_file(members: list[str], rows: int) -> str:
    lines = [f"{members[n % len(members)]},{n + 1},gift {n + 1}" for n in range(rows)]
    return HEADER + "\n".join(lines) + "\n"


async def finished(gateway: Gateway, path: str, headers: dict[str, str]) -> dict[str, Any]:
    async def read() -> dict[str, Any]:
        answer = await gateway.client.get(path, headers=headers)
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    return await settled(read, lambda op: op["state"] != "running", within=60)


def rows_applied(services: FakeServices, file_id: str) -> list[int]:
    return sorted(
        int(key.split("#")[1])
        for _, key in services.points.bulk_rows
        if key.startswith(f"{file_id}#")
    )


async def test_a_file_sent_async_is_answered_202_and_applied_in_the_background_once_per_row(
    gateway: Gateway, services: FakeServices
) -> None:
    operator, members = await operator_and_members(gateway)
    file_id = f"F-{new_id()}"
    file = a_file(members, 250) + "nobody,5,ghost\n"
    headers = {**operator, "Content-Type": "text/csv"}

    started = await gateway.client.post(
        BULK, content=file, params={"file_id": file_id, "async": "true"}, headers=headers
    )
    op = await finished(gateway, started.headers["location"], operator)
    again = await gateway.client.post(
        BULK,
        content=file,
        params={"file_id": file_id},
        headers={**headers, "Prefer": "respond-async"},
    )
    op_again = await finished(gateway, again.headers["location"], operator)

    assert started.status_code == 202, started.text
    assert started.json()["background"] is True
    assert (started.json()["kind"], started.json()["subject"]) == ("bulk_adjustment", file_id)
    assert started.headers["location"] == f"/v1/admin/operations/{started.json()['operation_id']}"
    assert (op["state"], op["done"], op["total"]) == ("done", 251, 251)
    report = op["result"]
    assert (report["rows"], report["accepted"], report["already_applied"]) == (251, 250, 0)
    assert [(r["row"], r["code"]) for r in report["rejected"]] == [(251, "member_not_found")]
    assert rows_applied(services, file_id) == list(range(1, 251))
    assert (op_again["result"]["accepted"], op_again["result"]["already_applied"]) == (0, 250)


async def test_an_operation_left_by_a_stopped_gateway_is_resumed_and_applies_no_row_twice(
    gateway: Gateway, services: FakeServices
) -> None:
    operator, members = await operator_and_members(gateway)
    whoami = (await gateway.client.get("/v1/admin/whoami", headers=operator)).json()
    file_id = f"F-{new_id()}"
    file = a_file(members, 300)
    # The stopped gateway applied rows 1 to 150 but recorded only its first step (100).
    first_rows = a_file(members, 150)
    applied = await gateway.client.post(
        BULK,
        content=first_rows,
        params={"file_id": file_id},
        headers={**operator, "Content-Type": "text/csv"},
    )
    left = left_bulk_adjustment(whoami, file_id, file, done=100)
    await gateway.container.db[OPERATIONS].insert_one(left)

    op = await finished(gateway, f"/v1/admin/operations/{left['_id']}", operator)

    assert applied.json()["accepted"] == 150
    assert (op["state"], op["done"], op["total"]) == ("done", 300, 300)
    assert (op["result"]["accepted"], op["result"]["already_applied"]) == (250, 50)
    assert rows_applied(services, file_id) == list(range(1, 301))
    resent = [
        row.row
        for request in services.points.bulk_requests
        if request.file_id == file_id
        for row in request.rows
    ]
    assert sorted(resent) == [*range(1, 101), *sorted([*range(101, 151)] * 2), *range(151, 301)]


async def test_an_operation_the_gateway_runs_is_not_changed_by_a_page_and_others_cannot_read_it(
    gateway: Gateway, services: FakeServices
) -> None:
    operator, members = await operator_and_members(gateway)
    other = await gateway.key(new_tenant(), "operator")
    started = await gateway.client.post(
        BULK,
        content=a_file(members, 3),
        params={"async": "true"},
        headers={**operator, "Content-Type": "text/csv"},
    )
    path = started.headers["location"]
    await finished(gateway, path, operator)

    by_page = await gateway.client.put(path, json={"done": 1, "total": 3}, headers=operator)
    by_other = await gateway.client.get(path, headers=other)
    listed = await gateway.client.get(
        "/v1/admin/operations", params={"kind": "bulk_adjustment"}, headers=operator
    )

    assert (by_page.status_code, by_page.json()["code"]) == (409, "operation_finished")
    assert (by_other.status_code, by_other.json()["code"]) == (404, "operation_not_found")
    [found] = listed.json()["operations"]
    assert found["background"] is True
    assert "input" not in found
