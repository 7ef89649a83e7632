"""The retention triangle: members in monthly cohorts of their enrolment, and for each
month since, how many of them bought in it. Pure: the adapter hands over each member's
enrolment day and purchase days (merged members' purchases already in their survivor's;
merged members and those who refused profiling left out)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from services.analytics.domain.reports import RATE


@dataclass(frozen=True)
class CohortMember:
    enrolled_day: str
    purchase_days: tuple[str, ...]


@dataclass(frozen=True)
class CohortMonth:
    month: str  # YYYY-MM
    months_after: int  # 0: the month of enrolment
    buyers: int
    rate: str  # buyers ÷ the cohort's members, 4 places


@dataclass(frozen=True)
class Cohort:
    month: str
    members: int
    months: tuple[CohortMonth, ...]


def month_of(day: str) -> str:
    return day[:7]


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` (YYYY-MM), both included."""
    year, month = int(first[:4]), int(first[5:7])
    months: list[str] = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def rate(part: int, whole: int) -> str:
    return str((Decimal(part) / whole).quantize(RATE)) if whole else ""


def retention(members: Iterable[CohortMember], from_day: str, to_day: str) -> list[Cohort]:
    """A cohort per month of the range (enrolments from `from_day` to `to_day`); each with
    one cell per month from its own to `to_day`'s. A purchase after `to_day` or before the
    member enrolled counts in none."""
    months = months_between(month_of(from_day), month_of(to_day))
    sizes = dict.fromkeys(months, 0)
    buyers: dict[tuple[str, str], int] = {}
    for member in members:
        if not from_day <= member.enrolled_day <= to_day:
            continue
        cohort = month_of(member.enrolled_day)
        sizes[cohort] += 1
        bought = {month_of(d) for d in member.purchase_days if member.enrolled_day <= d <= to_day}
        for month in bought:
            buyers[cohort, month] = buyers.get((cohort, month), 0) + 1
    return cohorts(months, sizes, buyers)


def cohorts(
    months: list[str], sizes: dict[str, int], buyers: dict[tuple[str, str], int]
) -> list[Cohort]:
    """A cohort per month of `months` with its size, and a cell per month from its own to
    the last with its buyers (by (cohort, month)) and their rate."""
    return [
        Cohort(
            cohort,
            sizes[cohort],
            tuple(
                CohortMonth(
                    month,
                    n,
                    buyers.get((cohort, month), 0),
                    rate(buyers.get((cohort, month), 0), sizes[cohort]),
                )
                for n, month in enumerate(months[i:])
            ),
        )
        for i, cohort in enumerate(months)
    ]
