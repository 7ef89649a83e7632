"""RFC 9457 problem details: the one shape of every error the gateway answers with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from gateway.edge.field_codes import field_code, field_limit
from libs.logging import current_request_id

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://loyalty.dev/problems/"

# Codes for errors raised by the framework itself rather than by our code.
HTTP_STATUS_CODES: Mapping[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}


class FieldError(BaseModel):
    """One field of a 422: where, why in English, and why as a machine code."""

    location: str = Field(description="For example body.budget.points, query.limit")
    message: str
    code: str = Field(
        description="required, unknown_field, wrong_type, too_small, must_exceed, too_large, "
        "must_be_below, too_short, too_long, bad_format, not_allowed, too_precise, "
        "offset_required, ends_before_start, exactly_one, at_most_one, not_zero or invalid "
        "(docs/api.md)"
    )
    limit: int | str | None = Field(
        default=None, description="The bound broken (a minimum, maximum or length), if any"
    )


class Problem(BaseModel):
    """An error answer (RFC 9457). `code` is the machine-readable reason."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    request_id: str | None = None
    errors: list[FieldError] | None = Field(
        default=None, description="With a 422 `validation_error`: every field that failed"
    )


class ApiProblem(Exception):
    """Raised anywhere below a route to answer with problem+json."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})


def problem_body(
    status: int, code: str, detail: str, request_id: str | None = None
) -> dict[str, Any]:
    return {
        "type": PROBLEM_TYPE_BASE + code,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        "request_id": request_id or current_request_id(),
    }


def problem_response(problem: ApiProblem, request_id: str | None = None) -> JSONResponse:
    body = problem_body(problem.status, problem.code, problem.detail, request_id)
    body.update(problem.extra)
    return JSONResponse(
        body, status_code=problem.status, headers=problem.headers, media_type=PROBLEM_MEDIA_TYPE
    )


def format_location(loc: Sequence[int | str]) -> str:
    """`("body", "identities", 0, "type")` -> `body.identities[0].type`."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.startswith("["):
            text += part
        else:
            text += f".{part}" if text else str(part)
    return text


def _field_error(err: Mapping[str, Any]) -> dict[str, Any]:
    """A field error as the answer carries it: `code` from the error's own `code`, else
    from its type; `limit` only where there is one."""
    item: dict[str, Any] = {
        "location": format_location(err.get("loc", ())),
        "message": str(err.get("msg", "")),
        "code": err.get("code") or field_code(str(err.get("type", ""))),
    }
    limit = field_limit(err.get("ctx"))
    if limit is not None:
        item["limit"] = limit
    return item


def validation_problem(errors: Sequence[Any]) -> ApiProblem:
    """One 422 naming every field that failed, each with where it was and a code."""
    found = [_field_error(err) for err in errors]
    detail = "; ".join(f"{item['location']}: {item['message']}" for item in found)
    return ApiProblem(422, "validation_error", detail or "invalid request", extra={"errors": found})


async def _api_problem(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiProblem)
    return problem_response(exc)


async def _request_validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return problem_response(validation_problem(exc.errors()))


async def _http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = HTTP_STATUS_CODES.get(exc.status_code, f"http_{exc.status_code}")
    if exc.status_code == 404:
        detail = f"nothing at {request.url.path}"
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
    else:
        detail = str(exc.detail)
    return problem_response(ApiProblem(exc.status_code, code, detail, headers=exc.headers))


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiProblem, _api_problem)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(HTTPException, _http_exception)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries documenting problem+json answers."""
    schema = {"$ref": "#/components/schemas/Problem"}
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}},
        }
        for status in statuses
    }
