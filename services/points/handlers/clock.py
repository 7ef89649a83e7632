"""The handlers' notion of now, replaceable in tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def stored_now(clock: Clock) -> datetime:
    """Now as MongoDB stores it (milliseconds), so a first answer and its replay agree."""
    now = clock()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
