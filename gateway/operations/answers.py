"""A long operation as the API answers it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from gateway.edge.fields import Timestamp
from libs.mongo import Doc


class OperationOut(BaseModel):
    operation_id: str
    kind: str = Field(description="bulk_adjustment, coupon_codes or backtest")
    subject: str
    state: str = Field(
        description="running (as its page last said; a page closed since leaves it so: "
        "see updated_at), done or failed"
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
        done=int(doc["done"]),
        total=int(doc["total"]),
        result=doc.get("result"),
        error=doc.get("error"),
        created_at=doc["created_at"],
        updated_at=doc["updated_at"],
    )
