"""The one table from gRPC status to HTTP status and problem code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import grpc
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from grpc import aio

from gateway.edge.problems import ApiProblem, problem_response, validation_problem
from libs.grpc.errors import error_code_of
from libs.logging import get_logger

log = get_logger(__name__)


class HttpError(NamedTuple):
    status: int
    code: str
    # What the caller reads when the service's own message should not be shown.
    generic_detail: str | None = None


INTERNAL = HttpError(500, "internal_error", "internal error")

GRPC_TO_HTTP: Mapping[grpc.StatusCode, HttpError] = {
    grpc.StatusCode.INVALID_ARGUMENT: HttpError(422, "validation_error"),
    grpc.StatusCode.NOT_FOUND: HttpError(404, "not_found"),
    grpc.StatusCode.ALREADY_EXISTS: HttpError(409, "conflict"),
    grpc.StatusCode.FAILED_PRECONDITION: HttpError(409, "failed_precondition"),
    grpc.StatusCode.ABORTED: HttpError(409, "conflict"),
    grpc.StatusCode.PERMISSION_DENIED: HttpError(403, "forbidden"),
    grpc.StatusCode.UNAUTHENTICATED: HttpError(401, "unauthorized"),
    grpc.StatusCode.RESOURCE_EXHAUSTED: HttpError(429, "rate_limited"),
    grpc.StatusCode.UNAVAILABLE: HttpError(
        503, "service_unavailable", "a backing service is unavailable; try again shortly"
    ),
    grpc.StatusCode.DEADLINE_EXCEEDED: HttpError(
        504, "upstream_timeout", "a backing service did not answer in time"
    ),
}


def problem_from_rpc_error(
    error: aio.AioRpcError, default_codes: Mapping[grpc.StatusCode, str] | None = None
) -> ApiProblem:
    """The HTTP answer for a failed call.

    The code a service attached wins; otherwise `default_codes` (what a route knows the
    status means, e.g. NOT_FOUND is `member_not_found`), otherwise the table's.
    """
    status = error.code()
    mapped = GRPC_TO_HTTP.get(status)
    if mapped is None:
        log.error("upstream_call_failed", grpc_status=status.name, details=error.details())
        return ApiProblem(INTERNAL.status, INTERNAL.code, str(INTERNAL.generic_detail))
    code = error_code_of(error) or (default_codes or {}).get(status) or mapped.code
    detail = mapped.generic_detail or error.details() or mapped.code.replace("_", " ")
    if mapped.status >= 500:
        log.warning("upstream_call_failed", grpc_status=status.name, details=error.details())
    headers = {"Retry-After": "1"} if mapped.status in (429, 503) else None
    return ApiProblem(mapped.status, code, detail, headers=headers)


def body_field_problem(error: aio.AioRpcError, field: str) -> ApiProblem:
    """The answer for a failed call; a service's INVALID_ARGUMENT about `field` of the
    body (its detail reads "field: why") as the gateway's own 422 for that field, so the
    caller reads it like any other error of the body."""
    details = error.details() or ""
    if error.code() is grpc.StatusCode.INVALID_ARGUMENT and details.startswith(f"{field}: "):
        why = details.removeprefix(f"{field}: ")
        return validation_problem([{"loc": ("body", field), "msg": why}])
    return problem_from_rpc_error(error)


async def _rpc_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, aio.AioRpcError)
    return problem_response(problem_from_rpc_error(exc))


def install_rpc_error_handler(app: FastAPI) -> None:
    """A call that fails without a route handling it still answers by the table."""
    app.add_exception_handler(aio.AioRpcError, _rpc_error)
