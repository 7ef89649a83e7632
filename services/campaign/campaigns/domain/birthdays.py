"""Birthday campaigns: which birthdays fall on a local day, and what makes a birthday reward
once per member per year."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Protocol


def birthdays_on(day: date) -> list[tuple[int, int]]:
    """(month, day) of the birthdays celebrated on `day`: members born on 29 February are
    celebrated on the 28th in other years."""
    today = [(day.month, day.day)]
    if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
        today.append((2, 29))
    return today


def birthday_trigger_key(member_id: str, year: int) -> str:
    return f"{member_id}:{year}"


@dataclass(frozen=True)
class BirthdayPage:
    member_ids: list[str]
    # Empty on the last page.
    next_cursor: str


class MemberDirectory(Protocol):
    """The member service's answers, by member id only."""

    async def time_zone(self, tenant_id: str) -> str:
        """The tenant's IANA time zone."""
        ...

    async def born_on(
        self, tenant_id: str, month: int, day: int, *, consenting: bool, cursor: str
    ) -> BirthdayPage:
        """Active members born on that month and day (only those who consent to marketing
        when `consenting`), a page at a time."""
        ...


@dataclass(frozen=True)
class BirthdayRun:
    """One campaign's birthdays of one local day, claimed by one replica at a time."""

    tenant_id: str
    campaign_id: str
    day: date
    # Where the last page ended: a run taken over resumes there.
    cursor: str = ""
    # Which of the day's birthdays (index into `birthdays_on`) the cursor is in.
    part: int = 0


class BirthdayRuns(Protocol):
    async def claim(self, run: BirthdayRun, owner: str) -> BirthdayRun | None:
        """The run to go on with (a new one, or one whose previous owner's lease lapsed),
        or None when it is done or another replica holds it."""
        ...

    async def progress(self, run: BirthdayRun, owner: str) -> bool:
        """Save where the run stands and extend the lease; False when the lease was lost."""
        ...

    async def finish(self, run: BirthdayRun, owner: str, *, done: bool) -> None:
        """Done for the day, or (not done) let another attempt take it over at once."""
        ...
