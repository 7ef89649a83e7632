from __future__ import annotations

import grpc
import pytest
from grpc import aio

from gateway.edge.rpc_errors import GRPC_TO_HTTP, problem_from_rpc_error
from libs.grpc.errors import ERROR_CODE_KEY


def rpc_error(
    status: grpc.StatusCode, details: str = "what the service said", code: str | None = None
) -> aio.AioRpcError:
    trailing = aio.Metadata((ERROR_CODE_KEY, code)) if code else aio.Metadata()
    return aio.AioRpcError(status, aio.Metadata(), trailing, details, None)


@pytest.mark.parametrize(
    ("status", "http_status", "code"),
    [
        (grpc.StatusCode.INVALID_ARGUMENT, 422, "validation_error"),
        (grpc.StatusCode.NOT_FOUND, 404, "not_found"),
        (grpc.StatusCode.ALREADY_EXISTS, 409, "conflict"),
        (grpc.StatusCode.FAILED_PRECONDITION, 409, "failed_precondition"),
        (grpc.StatusCode.ABORTED, 409, "conflict"),
        (grpc.StatusCode.PERMISSION_DENIED, 403, "forbidden"),
        (grpc.StatusCode.UNAUTHENTICATED, 401, "unauthorized"),
        (grpc.StatusCode.RESOURCE_EXHAUSTED, 429, "rate_limited"),
        (grpc.StatusCode.UNAVAILABLE, 503, "service_unavailable"),
        (grpc.StatusCode.DEADLINE_EXCEEDED, 504, "upstream_timeout"),
        (grpc.StatusCode.INTERNAL, 500, "internal_error"),
        (grpc.StatusCode.UNKNOWN, 500, "internal_error"),
        (grpc.StatusCode.UNIMPLEMENTED, 500, "internal_error"),
        (grpc.StatusCode.DATA_LOSS, 500, "internal_error"),
        (grpc.StatusCode.CANCELLED, 500, "internal_error"),
        (grpc.StatusCode.OUT_OF_RANGE, 500, "internal_error"),
    ],
)
def test_each_grpc_status_maps_to_its_http_status_and_code(
    status: grpc.StatusCode, http_status: int, code: str
) -> None:
    problem = problem_from_rpc_error(rpc_error(status))

    assert (problem.status, problem.code) == (http_status, code)


def test_the_table_covers_every_status_the_contract_names() -> None:
    named = {
        "INVALID_ARGUMENT", "NOT_FOUND", "ALREADY_EXISTS", "FAILED_PRECONDITION", "ABORTED",
        "PERMISSION_DENIED", "UNAUTHENTICATED", "RESOURCE_EXHAUSTED", "UNAVAILABLE",
        "DEADLINE_EXCEEDED",
    }  # fmt: skip

    assert {status.name for status in GRPC_TO_HTTP} == named


def test_the_code_a_service_sent_wins_over_the_tables() -> None:
    error = rpc_error(grpc.StatusCode.ALREADY_EXISTS, "phone is taken", code="identity_taken")

    problem = problem_from_rpc_error(error, {grpc.StatusCode.ALREADY_EXISTS: "other"})

    assert (problem.status, problem.code, problem.detail) == (
        409,
        "identity_taken",
        "phone is taken",
    )


def test_a_routes_default_code_applies_when_the_service_sent_none() -> None:
    error = rpc_error(grpc.StatusCode.NOT_FOUND)

    problem = problem_from_rpc_error(error, {grpc.StatusCode.NOT_FOUND: "member_not_found"})

    assert (problem.status, problem.code) == (404, "member_not_found")


@pytest.mark.parametrize(
    "status",
    [grpc.StatusCode.INTERNAL, grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED],
)
def test_server_side_failures_never_show_the_services_message(status: grpc.StatusCode) -> None:
    problem = problem_from_rpc_error(rpc_error(status, details="Traceback: secret host db-7"))

    assert "secret" not in problem.detail
    assert problem.detail


def test_an_unavailable_service_tells_the_caller_when_to_retry() -> None:
    problem = problem_from_rpc_error(rpc_error(grpc.StatusCode.UNAVAILABLE))

    assert problem.headers == {"Retry-After": "1"}
