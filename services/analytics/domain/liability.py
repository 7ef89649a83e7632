"""The points liability kept as the events come in, so the report reads a handful of
documents instead of every member's wallet. Pure: what a member's new wallet changes
(against the wallet the read model kept for it until now), and how the points expiring
within n days of an instant are summed from what is kept.

What is kept per tenant:

- running totals of every kept wallet's available, held and pending points and of the
  members whose wallet was seen, moved by the difference between a member's previous
  wallet and its new one (so they always equal the sum of the members' kept wallets,
  whatever decides which wallet is kept);
- the lots' points by day of expiry (UTC) and, in the same document, by minute of that
  day, and by instant of expiry (to the millisecond, as the database keeps times), moved
  the same way.

"Expiring after `as_of` and within n days" is then the rest of `as_of`'s day, the whole
days between, and the n-th day after up to `as_of`'s time of day. A partial day, cut at
that time, is its minutes before the cut's (counters of the day's document) and the
instants of the cut's minute up to the cut: the read never takes more than a minute of
instants per partial day, however many lots expire that day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from services.analytics.domain.days import to_millisecond
from services.analytics.domain.facts import Lot, Wallet


@dataclass(frozen=True)
class WalletChange:
    """What one member's new wallet moves the tenant's liability by: points available,
    held and pending, members whose wallet was seen (1 for the first wallet seen), and
    lot points by expiry instant (to the millisecond, UTC)."""

    available: int = 0
    held: int = 0
    pending: int = 0
    members: int = 0
    lots: tuple[tuple[datetime, int], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.available or self.held or self.pending or self.members or self.lots)


def expiry_instant(at: datetime) -> datetime:
    """A lot's expiry as it is kept and compared: UTC, to the millisecond."""
    return to_millisecond(at.astimezone(UTC))


def expiry_day(at: datetime) -> str:
    """The UTC day a lot expires on (the day documents' key)."""
    return expiry_instant(at).date().isoformat()


def expiry_minute(at: datetime) -> str:
    """The minute of its UTC day a lot expires in, HHMM (the day document's counter)."""
    return expiry_instant(at).strftime("%H%M")


def lots_by_instant(lots: Iterable[Lot]) -> dict[datetime, int]:
    by_instant: dict[datetime, int] = {}
    for lot in lots:
        at = expiry_instant(lot.expires_at)
        by_instant[at] = by_instant.get(at, 0) + lot.points
    return by_instant


def wallet_change(before: Wallet | None, after: Wallet) -> WalletChange:
    """The difference between the wallet kept for a member (None: none seen yet) and the
    one that replaces it; empty when they are the same (a redelivered or repeated
    snapshot moves nothing)."""
    kept = before or Wallet()
    old, new = lots_by_instant(kept.lots), lots_by_instant(after.lots)
    lots = tuple(
        (at, new.get(at, 0) - old.get(at, 0))
        for at in sorted(old.keys() | new.keys())
        if new.get(at, 0) != old.get(at, 0)
    )
    return WalletChange(
        available=after.available - kept.available,
        held=after.held - kept.held,
        pending=after.pending - kept.pending,
        members=1 if before is None else 0,
        lots=lots,
    )


@dataclass(frozen=True)
class PartialDay:
    """A day cut at `as_of`'s time of day: what expires on it at or before the cut is its
    minutes before the cut's (the day document's counters) and the instants of the cut's
    minute from `start` to `end` (the cut), both included."""

    day: str
    minute: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class ExpiryWindows:
    """How the points expiring after `as_of` and within each of `windows` days are read:
    the whole days between from the days' documents, the partial days (the first and each
    window's last) cut at `as_of`'s time of day."""

    as_of: datetime  # UTC, to the millisecond
    windows: tuple[int, ...]

    @property
    def first_day(self) -> date:
        return self.as_of.date()

    def day(self, n: int) -> str:
        return (self.first_day + timedelta(days=n)).isoformat()

    def days(self) -> tuple[str, str]:
        """The first and last day of every day document the windows need."""
        return self.day(0), self.day(max(self.windows))

    def partial_days(self) -> list[PartialDay]:
        """Today and the last day of each window, each cut at `as_of`'s time of day."""
        cut = self.as_of - datetime.combine(self.first_day, time(), UTC)
        parts = []
        for n in sorted({0, *self.windows}):
            at = datetime.combine(self.first_day + timedelta(days=n), time(), UTC) + cut
            minute = at.replace(second=0, microsecond=0)
            parts.append(PartialDay(self.day(n), expiry_minute(at), minute, at))
        return parts


def expiry_windows(as_of: datetime, windows: Sequence[int]) -> ExpiryWindows:
    """`as_of` compared as the database compares times (to the millisecond): a lot
    expires within the window when `as_of` < its expiry <= `as_of` + n days."""
    if not windows or min(windows) < 1:
        raise ValueError("expiry windows are whole days, at least one")
    return ExpiryWindows(expiry_instant(as_of), tuple(windows))


def before_cut(part: PartialDay, minutes: Mapping[str, int], instants: int) -> int:
    """The points of a partial day that expire at or before its cut: its minutes before
    the cut's, and `instants`, what the cut's minute holds up to the cut."""
    return sum(n for minute, n in minutes.items() if minute < part.minute) + instants


def expiring(
    reads: ExpiryWindows, by_day: Mapping[str, int], before: Mapping[str, int]
) -> dict[int, int]:
    """The points expiring within each window, from the points by expiry day and, for
    each partial day, those expiring at or before its cut (`before`, by day): the rest of
    the first day, the whole days between, the last day up to the cut."""
    today = reads.day(0)
    rest_of_today = by_day.get(today, 0) - before.get(today, 0)
    found: dict[int, int] = {}
    for n in reads.windows:
        whole = sum(by_day.get(reads.day(k), 0) for k in range(1, n))
        found[n] = rest_of_today + whole + before.get(reads.day(n), 0)
    return found
