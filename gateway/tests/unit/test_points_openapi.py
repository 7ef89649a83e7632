from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from gateway.edge.problems import PROBLEM_MEDIA_TYPE

REF_PREFIX = "#/components/schemas/"
POSTS = {
    "/v1/orders": ("OrderBody", "OrderOut", {"200", "201", "401", "403", "404", "409", "422"}),
    "/v1/orders/{order_id}/returns": ("ReturnBody", "ReturnOut", {"200", "201", "404", "422"}),
    "/v1/redemptions": ("RedemptionBody", "RedemptionOut", {"201", "401", "403", "409", "422"}),
    "/v1/admin/members/{member_id}/points/adjustments": (
        "AdjustmentBody",
        "AdjustmentOut",
        {"200", "201", "401", "403", "404", "409", "422"},
    ),
    "/v1/admin/points/transfers": (
        "TransferBody",
        "TransferOut",
        {"200", "201", "401", "403", "404", "409", "422"},
    ),
    "/v1/members/{member_id}/points/transfers": (
        "MemberTransferBody",
        "TransferOut",
        {"200", "201", "401", "403", "404", "409", "422"},
    ),
}


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for name, value in node.items():
            if name == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


@pytest.fixture
async def document(client: httpx.AsyncClient) -> dict[str, Any]:
    answer: dict[str, Any] = (await client.get("/openapi.json")).json()
    return answer


@pytest.mark.parametrize("path", POSTS)
async def test_each_points_post_documents_its_body_answer_and_problems(
    document: dict[str, Any], path: str
) -> None:
    body, answer, statuses = POSTS[path]
    operation = document["paths"][path]["post"]

    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": REF_PREFIX + body
    }
    success = "201" if "201" in statuses else "200"
    assert operation["responses"][success]["content"]["application/json"]["schema"] == {
        "$ref": REF_PREFIX + answer
    }
    assert statuses <= operation["responses"].keys()
    assert PROBLEM_MEDIA_TYPE in operation["responses"]["422"]["content"]


@pytest.mark.parametrize(
    ("path", "answer"),
    [
        ("/v1/members/{member_id}/points", "PointsOut"),
        ("/v1/members/{member_id}/points/ledger", "LedgerOut"),
        ("/v1/redemptions/{redemption_id}/capture", "RedemptionOut"),
        ("/v1/redemptions/{redemption_id}/cancel", "RedemptionOut"),
    ],
)
async def test_each_points_read_and_redemption_step_documents_its_answer_and_404(
    document: dict[str, Any], path: str, answer: str
) -> None:
    operation = next(iter(document["paths"][path].values()))

    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": REF_PREFIX + answer
    }
    assert {"401", "403", "404", "503"} <= operation["responses"].keys()


async def test_money_is_documented_as_a_decimal_string(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]

    assert schemas["OrderBody"]["properties"]["total"]["type"] == "string"
    assert schemas["OrderLineBody"]["properties"]["unit_price"]["type"] == "string"
    assert schemas["OrderBody"]["additionalProperties"] is False


async def test_every_schema_the_document_refers_to_is_in_it(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]

    missing = {ref for ref in refs(document) if ref.removeprefix(REF_PREFIX) not in schemas}

    assert missing == set()
