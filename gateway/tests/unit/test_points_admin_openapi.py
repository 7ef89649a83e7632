"""The operators' points endpoints in /openapi.json: bodies, answers and problems."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

REF_PREFIX = "#/components/schemas/"


@pytest.fixture
async def document(client: httpx.AsyncClient) -> dict[str, Any]:
    answer: dict[str, Any] = (await client.get("/openapi.json")).json()
    return answer


def answer_schema(operation: dict[str, Any], status: str) -> Any:
    return operation["responses"][status]["content"]["application/json"]["schema"]


async def test_the_bulk_upload_documents_a_csv_body_its_report_and_its_problems(
    document: dict[str, Any],
) -> None:
    operation = document["paths"]["/v1/admin/points/adjustments/bulk"]["post"]

    body = operation["requestBody"]["content"]["text/csv"]
    assert body["schema"]["type"] == "string"
    assert body["schema"]["example"].startswith("member_id,points,reason\n")
    assert answer_schema(operation, "200") == {"$ref": REF_PREFIX + "BulkReportOut"}
    assert {"401", "403", "413", "415", "422", "503"} <= operation["responses"].keys()
    names = {p["name"] for p in operation["parameters"]}
    assert names == {"file_id", "File-Id", "Idempotency-Key", "async"}
    assert answer_schema(operation, "202") == {
        "oneOf": [{"$ref": REF_PREFIX + "OperationOut"}, {"$ref": REF_PREFIX + "HeldOut"}]
    }
    assert "Location" in operation["responses"]["202"]["headers"]
    rejected = document["components"]["schemas"]["RejectedRowOut"]
    assert set(rejected["required"]) == {"row", "member_id", "reason", "code"}


async def test_a_signed_adjustment_is_documented_as_a_non_zero_integer(
    document: dict[str, Any],
) -> None:
    points = document["components"]["schemas"]["AdjustmentBody"]["properties"]["points"]

    assert (points["type"], points["minimum"], points["maximum"]) == ("integer", -(10**9), 10**9)
    assert "below" in points["description"]


async def test_the_points_settings_and_the_expiring_points_are_documented(
    document: dict[str, Any],
) -> None:
    settings = document["paths"]["/v1/admin/points/settings"]
    expiring = document["paths"]["/v1/members/{member_id}/points/expiring"]["get"]

    body = settings["put"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": REF_PREFIX + "PointsSettingsBody"}
    assert answer_schema(settings["get"], "200") == {"$ref": REF_PREFIX + "PointsSettingsOut"}
    assert {"401", "403", "422"} <= settings["put"]["responses"].keys()
    assert answer_schema(expiring, "200") == {"$ref": REF_PREFIX + "ExpiringPointsOut"}
    policy = document["components"]["schemas"]["PointsSettingsBody"]["properties"]["expiry_policy"]
    assert set(policy["enum"]) == {
        "never",
        "days_after_earning",
        "end_of_month",
        "months_after_earning",
    }


async def test_the_reconciliation_documents_its_answer(document: dict[str, Any]) -> None:
    operation = document["paths"]["/v1/admin/points/reconciliation"]["post"]

    assert answer_schema(operation, "200") == {"$ref": REF_PREFIX + "ReconciliationOut"}
    assert {"401", "403", "503"} <= operation["responses"].keys()
