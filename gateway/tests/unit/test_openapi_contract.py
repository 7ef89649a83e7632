"""The OpenAPI document: every operation tagged for its audience, every body with an
example that fits it, every answer of the pipeline documented as problem+json."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from jsonschema_rs import Draft202012Validator

from gateway.access.permissions import TOUCHPOINTS, rule_for
from gateway.edge.problems import PROBLEM_MEDIA_TYPE
from gateway.matrix import MATRIX
from gateway.openapi.contract import AUDIENCES, operations
from gateway.openapi.examples import BODY_EXAMPLES

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture
async def document(client: httpx.AsyncClient) -> dict[str, Any]:
    answer: dict[str, Any] = (await client.get("/openapi.json")).json()
    return answer


def every_operation(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [op for op in operations(document) if not op[1].startswith("/test/")]


async def test_every_operation_has_one_tag_naming_its_audience_by_the_matrix(
    document: dict[str, Any],
) -> None:
    wrong = []
    for method, path, operation in every_operation(document):
        [tag] = operation["tags"]
        audience = tag.partition(" · ")[0]
        rule = rule_for(MATRIX, method, path)
        touchpoints = rule is not None and bool(rule.allowed & set(TOUCHPOINTS))
        if audience not in AUDIENCES or (audience == "Touchpoints") != touchpoints:
            wrong.append(f"{method} {path}: {tag}")
    assert not wrong, "operations tagged for the wrong audience:\n" + "\n".join(wrong)


async def test_the_tags_are_grouped_by_audience_touchpoints_first(
    document: dict[str, Any],
) -> None:
    groups = document["x-tagGroups"]
    used = {operation["tags"][0] for _, _, operation in every_operation(document)}

    assert [group["name"] for group in groups] == list(AUDIENCES)
    assert {tag for group in groups for tag in group["tags"]} >= used
    assert document["tags"][0]["name"].startswith("Touchpoints")


async def test_every_request_body_has_an_example_that_fits_its_schema(
    document: dict[str, Any],
) -> None:
    components = document["components"]
    missing, invalid = [], []
    for method, path, operation in every_operation(document):
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
            if "example" not in media:
                name = media["schema"].get("$ref", "").rpartition("/")[2]
                missing.append(f"{method} {path} ({media_type}, add {name} to BODY_EXAMPLES)")
                continue
            validator = Draft202012Validator({**media["schema"], "components": components})
            errors = [e.message for e in validator.iter_errors(media["example"])]
            if errors:
                invalid.append(f"{method} {path}: {errors}")
    assert not missing, "bodies without an example:\n" + "\n".join(missing)
    assert not invalid, "examples that do not fit their schema:\n" + "\n".join(invalid)


async def test_every_body_example_is_used(document: dict[str, Any]) -> None:
    used = {
        media["schema"].get("$ref", "").rpartition("/")[2]
        for _, _, operation in every_operation(document)
        for media in operation.get("requestBody", {}).get("content", {}).values()
    }

    assert set(BODY_EXAMPLES) <= used


async def test_every_authenticated_operation_documents_401_403_and_429_as_problems(
    document: dict[str, Any],
) -> None:
    for method, path, operation in every_operation(document):
        if not operation.get("security"):
            continue
        responses = operation["responses"]
        for status in ("401", "403", "429", "503", "504"):
            content = responses[status]["content"]
            assert content == {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}}, (method, path)


async def test_a_422_is_always_documented_as_a_problem_never_as_fastapis_shape(
    document: dict[str, Any],
) -> None:
    for method, path, operation in every_operation(document):
        answer = operation["responses"].get("422")
        if operation.get("parameters") or "requestBody" in operation:
            assert answer is not None, (method, path)
        if answer is not None:
            assert list(answer["content"]) == [PROBLEM_MEDIA_TYPE], (method, path)


async def test_every_authenticated_post_documents_its_idempotency_key(
    document: dict[str, Any],
) -> None:
    for method, path, operation in every_operation(document):
        if method == "POST" and operation.get("security"):
            headers = [p for p in operation["parameters"] if p["in"] == "header"]
            assert "Idempotency-Key" in {p["name"] for p in headers}, path
            assert "409" in operation["responses"], path
