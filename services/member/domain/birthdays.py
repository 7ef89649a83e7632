"""Who has a birthday on a day: the one question about birthdays the member service
answers for others (campaigns), by member id only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from libs.errors import InvalidArgument
from services.member.domain.profile import ConsentPurpose

DEFAULT_LIMIT = 500
MAX_LIMIT = 1000
_CURSOR = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# A leap year, so that 29 February is a day of the year.
_ANY_LEAP_YEAR = 2000


def month_day(birthday: date) -> str:
    """The stored, queried form: "MM-DD", without the year."""
    return f"{birthday.month:02d}-{birthday.day:02d}"


@dataclass(frozen=True)
class BirthdayQuery:
    month: int
    day: int
    consented_to: str = ""
    cursor: str = ""
    limit: int = DEFAULT_LIMIT

    @property
    def month_day(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"


def validate_birthday_query(query: BirthdayQuery) -> BirthdayQuery:
    try:
        date(_ANY_LEAP_YEAR, query.month, query.day)
    except ValueError:
        raise InvalidArgument("month, day: a day of the year, such as 5 and 1") from None
    if query.consented_to and query.consented_to not in {p.value for p in ConsentPurpose}:
        allowed = ", ".join(p.value for p in ConsentPurpose)
        raise InvalidArgument(f"consented_to: must be one of {allowed}")
    if query.cursor and not _CURSOR.match(query.cursor):
        raise InvalidArgument("cursor: not a cursor this API returned")
    if not 1 <= query.limit <= MAX_LIMIT:
        raise InvalidArgument(f"limit: between 1 and {MAX_LIMIT}")
    return query
