"""Path and query parameters the member routes share, and what NOT_FOUND means there."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import grpc
from fastapi import Path, Query

from gateway.edge.problems import validation_problem

MEMBER_NOT_FOUND = {grpc.StatusCode.NOT_FOUND: "member_not_found"}
MemberId = Annotated[str, Path(min_length=1, max_length=128)]
# Opaque to callers: the value of `next_cursor` from the previous page.
Cursor = Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Limit = Annotated[int, Query(ge=1, le=200)]


def aware(name: str, value: datetime | None) -> datetime | None:
    """A query's time, which must carry its UTC offset (422 otherwise)."""
    if value is not None and value.tzinfo is None:
        raise validation_problem([{"loc": ("query", name), "msg": "needs a UTC offset"}])
    return value
