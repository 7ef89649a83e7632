"""Path and query parameters the member routes share, and what NOT_FOUND means there."""

from __future__ import annotations

from typing import Annotated

import grpc
from fastapi import Path, Query

MEMBER_NOT_FOUND = {grpc.StatusCode.NOT_FOUND: "member_not_found"}
MemberId = Annotated[str, Path(min_length=1, max_length=128)]
# Opaque to callers: the value of `next_cursor` from the previous page.
Cursor = Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Limit = Annotated[int, Query(ge=1, le=200)]
