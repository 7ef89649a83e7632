"""A long operation as the API answers it, and the 202 that starts one the gateway runs
(`?async=true` or `Prefer: respond-async` on a route that offers it)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from gateway.edge.fields import Timestamp
from libs.mongo import Doc

OPERATIONS_PATH = "/v1/admin/operations"


class OperationOut(BaseModel):
    operation_id: str
    kind: str = Field(description="bulk_adjustment, coupon_codes or backtest")
    subject: str
    state: str = Field(
        description="running, done or failed. An operation its page runs stays `running` "
        "as the page last said (a page closed since leaves it so: see `updated_at`); one "
        "the gateway runs (`background`) goes on whatever the pages do"
    )
    background: bool = Field(
        default=False,
        description="Run by the gateway (started with `?async=true` or `Prefer: "
        "respond-async`): it goes on after the caller leaves, and another gateway resumes "
        "it when the one running it stops",
    )
    done: int
    total: int
    result: dict[str, Any] | None
    error: str | None
    created_at: Timestamp
    updated_at: Timestamp


class OperationListOut(BaseModel):
    operations: list[OperationOut] = Field(description="Newest first")


def operation_out(doc: Doc) -> OperationOut:
    return OperationOut(
        operation_id=doc["_id"],
        kind=doc["kind"],
        subject=doc["subject"],
        state=doc["state"],
        background=bool(doc.get("background")),
        done=int(doc["done"]),
        total=int(doc["total"]),
        result=doc.get("result"),
        error=doc.get("error"),
        created_at=doc["created_at"],
        updated_at=doc["updated_at"],
    )


_ASYNC = (
    "Run it in the background: answer 202 at once with the operation (`Location`: "
    "`GET /v1/admin/operations/{operation_id}`), its progress and result recorded there. "
    "The header `Prefer: respond-async` does the same."
)
AsyncQuery = Annotated[bool, Query(alias="async", description=_ASYNC)]


def respond_async(request: Request, asked: bool) -> bool:
    """Whether the caller asked for the operation to run in the background."""
    prefer = request.headers.get("prefer", "")
    return asked or any(p.strip().lower() == "respond-async" for p in prefer.split(","))


def accepted(doc: Doc) -> JSONResponse:
    """202 Accepted: the operation just recorded for the gateway to run, and where to
    follow it."""
    answer = operation_out(doc).model_dump(mode="json")
    headers = {
        "Location": f"{OPERATIONS_PATH}/{doc['_id']}",
        "Preference-Applied": "respond-async",
    }
    return JSONResponse(answer, status_code=202, headers=headers)


ACCEPTED_RESPONSE: dict[int | str, dict[str, Any]] = {
    202: {
        "model": OperationOut,
        "description": "Started in the background (`?async=true` or `Prefer: respond-async`)",
        "headers": {
            "Location": {
                "description": "The operation: `GET` it for progress and result",
                "schema": {"type": "string"},
            }
        },
    }
}
