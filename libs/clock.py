"""The one notion of now: a `Clock` the handlers take, the system clock, and a clock that
tests move by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def __call__(self) -> datetime: ...


def to_millis(value: datetime) -> datetime:
    """`value` as BSON keeps it (milliseconds), so a time answered equals the time stored."""
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def utc_now() -> datetime:
    """The system clock, to the millisecond."""
    return to_millis(datetime.now(UTC))


def stored_now(clock: Clock) -> datetime:
    """Now as MongoDB stores it, so a first answer and its replay agree."""
    return to_millis(clock())


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 11, 25, 2, 15, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)
