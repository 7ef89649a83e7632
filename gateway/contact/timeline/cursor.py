"""The timeline's page cursor: where the previous page ended (its last entry's time and id),
opaque to callers."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Position:
    occurred_at: datetime
    entry_id: str


def encode(position: Position) -> str:
    raw = f"{position.occurred_at.isoformat()}|{position.entry_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str) -> Position | None:
    """The position, or None for a cursor this gateway did not make."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, entry_id = raw.split("|", 1)
        occurred_at = datetime.fromisoformat(when)
    except ValueError:
        return None
    if occurred_at.tzinfo is None or not entry_id:
        return None
    return Position(occurred_at, entry_id)
