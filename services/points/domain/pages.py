"""A page of a member's records, newest first: where it starts (after the last record of
the previous page, by time then id, so a record added meanwhile never shifts a page) and
the cursor that names that place. No I/O."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from libs.errors import InvalidArgument

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@dataclass(frozen=True)
class Page:
    limit: int
    # The last record of the previous page (time, id); None for the first page.
    after: tuple[datetime, str] | None = None
    # Only records of these stores; every store when empty.
    store_ids: frozenset[str] = frozenset()


def encode_position(at: datetime, record_id: str) -> str:
    raw = f"{at.isoformat()}|{record_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def page_of(limit: int, cursor: str, store_ids: frozenset[str] = frozenset()) -> Page:
    if not 0 <= limit <= MAX_LIMIT:
        raise InvalidArgument(f"limit: between 1 and {MAX_LIMIT}")
    if not cursor:
        return Page(limit or DEFAULT_LIMIT, None, store_ids)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, record_id = raw.split("|", 1)
        after = (datetime.fromisoformat(at), record_id)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidArgument("cursor: not one this list gave") from None
    if after[0].tzinfo is None or not record_id:
        raise InvalidArgument("cursor: not one this list gave")
    return Page(limit or DEFAULT_LIMIT, after, store_ids)
