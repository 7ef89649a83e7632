"""How a file comes to the gateway: as text/csv, named by a file id (query or header)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Query, Request

from gateway.edge.fields import ORDER_ID_PATTERN
from gateway.edge.problems import ApiProblem

CSV_TYPES = ("text/csv", "application/csv")
_FILE_ID = "Makes the upload idempotent per file and row; without one, the file's content is its id"
FileIdQuery = Annotated[
    str | None, Query(min_length=1, max_length=100, pattern=ORDER_ID_PATTERN, description=_FILE_ID)
]
FileIdHeader = Annotated[
    str | None,
    Header(alias="File-Id", min_length=1, max_length=100, pattern=ORDER_ID_PATTERN),
]
_CSV_EXAMPLE = (
    "member_id,points,reason\nmem_123,500,store reopening gift\nmem_456,-200,double credit\n"
)
CSV_BODY = {
    "requestBody": {
        "required": True,
        "content": {"text/csv": {"schema": {"type": "string", "example": _CSV_EXAMPLE}}},
    }
}


def require_csv(request: Request) -> None:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in CSV_TYPES:
        raise ApiProblem(415, "unsupported_media_type", "send the file as text/csv")
