from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

from gateway.edge.problems import PROBLEM_MEDIA_TYPE, ApiProblem, format_location, problem_response
from gateway.tests.unit.conftest import MAX_BODY_BYTES

PROBLEM_FIELDS = {"type", "title", "status", "detail", "code", "request_id"}


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body: dict[str, object] = response.json()
    assert body.keys() >= PROBLEM_FIELDS
    assert body["type"] == f"https://loyalty.dev/problems/{code}"
    assert (body["status"], body["code"]) == (status, code)
    assert body["request_id"] == response.headers["x-request-id"]
    return body


def test_a_problem_has_the_rfc_9457_members_and_our_code() -> None:
    problem = ApiProblem(409, "identity_taken", "phone is taken", extra={"hint": "link instead"})

    response = problem_response(problem, request_id="req-1")

    assert response.media_type == PROBLEM_MEDIA_TYPE
    assert response.body == (
        b'{"type":"https://loyalty.dev/problems/identity_taken","title":"Conflict",'
        b'"status":409,"detail":"phone is taken","code":"identity_taken",'
        b'"request_id":"req-1","hint":"link instead"}'
    )


def test_a_location_reads_like_a_path_into_the_body() -> None:
    assert format_location(("body", "identities", 0, "type")) == "body.identities[0].type"
    assert format_location(("query", "limit")) == "query.limit"
    assert format_location(("body", "consents", "x", "[key]")) == "body.consents.x[key]"


async def test_an_unknown_route_is_a_not_found_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/nothing-here")

    assert_problem(response, 404, "not_found")


async def test_a_wrong_method_is_a_method_not_allowed_problem(client: httpx.AsyncClient) -> None:
    response = await client.delete("/healthz")

    assert_problem(response, 405, "method_not_allowed")
    assert "GET" in response.headers["allow"]


async def test_a_bad_query_parameter_is_a_validation_problem_naming_it(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/test/echo", params={"limit": "many"})

    body = assert_problem(response, 422, "validation_error")
    assert str(body["detail"]).startswith("query.limit: ")


async def test_an_unexpected_error_is_a_generic_500_that_hides_the_details(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/test/explode")

    body = assert_problem(response, 500, "internal_error")
    assert "hunter2" not in response.text
    assert body["detail"] == "internal error"


async def test_a_body_declared_too_large_is_refused_before_it_is_read(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/test/echo", content=b"x" * (MAX_BODY_BYTES + 1))

    assert_problem(response, 413, "payload_too_large")


async def test_a_streamed_body_growing_too_large_is_refused(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(4):
            yield b"x" * (MAX_BODY_BYTES // 2)

    response = await client.post("/test/echo", content=chunks())

    assert_problem(response, 413, "payload_too_large")


async def test_a_streamed_body_too_large_for_a_declared_body_model_is_refused_too(
    client: httpx.AsyncClient,
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"text": "'
        for _ in range(4):
            yield b"x" * (MAX_BODY_BYTES // 2)
        yield b'"}'

    response = await client.post(
        "/test/note", content=chunks(), headers={"Content-Type": "application/json"}
    )

    assert_problem(response, 413, "payload_too_large")


async def test_a_body_within_the_limit_is_read(client: httpx.AsyncClient) -> None:
    response = await client.post("/test/echo", content=b"x" * MAX_BODY_BYTES)

    assert response.json() == {"received": MAX_BODY_BYTES, "limit": 10}


async def test_the_callers_request_id_is_echoed(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz", headers={"X-Request-ID": "till-7.req_42"})

    assert response.headers["x-request-id"] == "till-7.req_42"


async def test_a_request_id_is_generated_when_the_caller_sends_none_or_a_bad_one(
    client: httpx.AsyncClient,
) -> None:
    first = await client.get("/healthz")
    second = await client.get("/healthz", headers={"X-Request-ID": "bad id!"})

    ids = {first.headers["x-request-id"], second.headers["x-request-id"]}
    assert len(ids) == 2
    assert "bad id!" not in ids


async def test_the_openapi_document_describes_bodies_answers_and_problems(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()

    enroll = document["paths"]["/v1/members"]["post"]
    schemas = document["components"]["schemas"]
    assert enroll["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/EnrollMemberBody"
    }
    assert {"200", "201", "401", "403", "422"} <= enroll["responses"].keys()
    assert PROBLEM_MEDIA_TYPE in enroll["responses"]["401"]["content"]
    assert {"EnrollMemberBody", "Identity", "Problem", "MemberOut"} <= schemas.keys()
    assert schemas["EnrollMemberBody"]["additionalProperties"] is False
