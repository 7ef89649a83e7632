"""POST /v1/admin/points/adjustments/bulk: a CSV file, row by row, once per file and row."""

from __future__ import annotations

import pytest

from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.points_support import enrolled
from gateway.tests.integration.support import Gateway, new_tenant

PATH = "/v1/admin/points/adjustments/bulk"
HEADER = "member_id,points,reason\n"


async def operator_and_members(
    gateway: Gateway, count: int = 2
) -> tuple[dict[str, str], list[str]]:
    tenant = new_tenant()
    pos = await gateway.key(tenant, "pos", store_id="S001")
    members = [await enrolled(gateway, pos) for _ in range(count)]
    return await gateway.key(tenant, "operator"), members


def csv_headers(operator: dict[str, str], **more: str) -> dict[str, str]:
    return {**operator, "Content-Type": "text/csv; charset=utf-8", **more}


async def test_good_rows_apply_and_each_bad_row_is_reported_with_its_number_and_reason(
    gateway: Gateway, services: FakeServices
) -> None:
    operator, (alice, bob) = await operator_and_members(gateway)
    file = (
        f"{HEADER}{alice},500,store reopening\n\n{bob},zero,oops\n"
        f'nobody,5,ghost\n{bob},-1,clawback\n{alice},-200,"double credit, sorry"\n{bob},7\n'
    )

    answer = await gateway.client.post(
        PATH, content=file, params={"file_id": "F-1"}, headers=csv_headers(operator)
    )

    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["file_id"], report["rows"], report["accepted"]) == ("F-1", 6, 2)
    assert [(r["row"], r["member_id"], r["code"]) for r in report["rejected"]] == [
        (2, bob, "validation_error"),
        (3, "nobody", "member_not_found"),
        (4, bob, "insufficient_points"),
        (6, bob, "validation_error"),
    ]
    assert report["rejected"][0]["reason"].startswith("points: ")
    [sent] = services.points.bulk_requests
    assert [(r.row, r.points, r.reason) for r in sent.rows] == [
        (1, 500, "store reopening"),
        (4, -1, "clawback"),
        (5, -200, "double credit, sorry"),
    ]


async def test_the_same_file_again_applies_nothing_whether_named_by_header_or_by_its_content(
    gateway: Gateway, services: FakeServices
) -> None:
    operator, (alice, _) = await operator_and_members(gateway)
    file = f"{HEADER}{alice},500,gift\n"
    named = csv_headers(operator, **{"File-Id": "F-9"})

    first = await gateway.client.post(PATH, content=file, headers=named)
    again = await gateway.client.post(PATH, content=file, headers=named)
    unnamed = await gateway.client.post(PATH, content=file, headers=csv_headers(operator))
    unnamed_again = await gateway.client.post(PATH, content=file, headers=csv_headers(operator))

    assert [a.json()["accepted"] for a in (first, again, unnamed, unnamed_again)] == [1, 0, 1, 0]
    assert [a.json()["already_applied"] for a in (again, unnamed_again)] == [1, 1]
    assert unnamed.json()["file_id"] == unnamed_again.json()["file_id"]
    assert unnamed.json()["file_id"].startswith("sha256-")


async def test_a_file_larger_than_the_usual_body_limit_is_accepted(
    gateway: Gateway, services: FakeServices
) -> None:
    operator, (alice, _) = await operator_and_members(gateway)
    file = HEADER + "".join(f"{alice},1,row {n} of a long promotional file\n" for n in range(3000))
    assert len(file) > 64 * 1024

    answer = await gateway.client.post(PATH, content=file, headers=csv_headers(operator))

    assert (answer.status_code, answer.json()["accepted"]) == (200, 3000)
    assert [len(r.rows) for r in services.points.bulk_requests] == [1000, 1000, 1000]


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        ("points,member_id,reason\nm,1,x\n", "the first row must be the header"),
        (HEADER, "no rows after its header"),
        ("", "the first row must be the header"),
        (HEADER + "m,1,x\n" * 10_001, "at most 10000 rows"),
    ],
)
async def test_a_body_that_is_not_an_adjustments_file_is_422_and_applies_nothing(
    gateway: Gateway, services: FakeServices, content: str, detail: str
) -> None:
    operator, _ = await operator_and_members(gateway, 0)

    answer = await gateway.client.post(PATH, content=content, headers=csv_headers(operator))

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["location"] == "body"
    assert detail in answer.json()["detail"]
    assert services.points.bulk_requests == []


async def test_bytes_that_are_not_utf8_or_not_csv_are_refused(gateway: Gateway) -> None:
    operator, _ = await operator_and_members(gateway, 0)

    latin = await gateway.client.post(
        PATH, content=HEADER.encode() + b"m,1,caf\xe9\n", headers=csv_headers(operator)
    )
    json_body = await gateway.client.post(PATH, json={"rows": []}, headers=operator)
    bad_id = await gateway.client.post(
        PATH, content=HEADER, params={"file_id": "has space"}, headers=csv_headers(operator)
    )

    assert (latin.status_code, latin.json()["detail"]) == (422, "body: the file must be UTF-8 text")
    assert (json_body.status_code, json_body.json()["code"]) == (415, "unsupported_media_type")
    assert bad_id.status_code == 422
    assert bad_id.json()["errors"][0]["location"] == "query.file_id"


async def test_a_touchpoint_key_may_not_send_a_file_and_a_stranger_finds_no_members(
    gateway: Gateway, services: FakeServices
) -> None:
    _, (alice, _) = await operator_and_members(gateway)
    pos = await gateway.key(new_tenant(), "pos", store_id="S001")
    stranger = await gateway.key(new_tenant(), "operator")
    file = f"{HEADER}{alice},5,gift\n"

    till = await gateway.client.post(PATH, content=file, headers=csv_headers(pos))
    across = await gateway.client.post(PATH, content=file, headers=csv_headers(stranger))

    assert till.status_code == 403
    assert [r["code"] for r in across.json()["rejected"]] == ["member_not_found"]
    assert services.points.bulk_requests == []
