"""The retention triangle from counts kept as members change, not from every member.
Pure.

A member in the triangle (enrolled on day E, neither merged away nor refusing profiling)
counts once in its cohort's size, under E, and once for each month in which it bought on
or after E, under (E, F) with F that month's first such purchase day. A range's triangle
(enrolments from `from_day` to `to_day`, purchases by `to_day`) is then exact from the
counts alone: the members enrolled in the range are those counted under an E in it, and
one of them bought in month M by `to_day` exactly when its F for M is not after
`to_day`. A range may start or end on any day.

The counts are what the members' profiles give, summed: a batch adds, for each member it
changed, the member's counts after it less those before it (`change`), so a merge (the
merged member's counts go, the survivor's are made again with the days it took), a
consent given or withdrawn, and a purchase that moves a month's first day all come out
right, whatever the order the events arrive in; a redelivered event changes no profile.
"""

from __future__ import annotations

from collections.abc import Iterable

from services.analytics.domain.profiles import MemberProfile
from services.analytics.domain.retention import Cohort, cohorts, month_of, months_between

SEPARATOR = "|"


def counts(profile: MemberProfile | None) -> dict[str, int]:
    """What the member adds to the counts: 1 under its enrolment day, and 1 under
    `<enrolment day>|<first purchase day>` for each month it bought in since."""
    if profile is None or not profile.profiled or not profile.since:
        return {}
    since = profile.since
    firsts: dict[str, str] = {}
    for day in profile.purchase_days:
        if day >= since:
            firsts.setdefault(month_of(day), day)
    added = {since: 1}
    added.update({f"{since}{SEPARATOR}{first}": 1 for first in firsts.values()})
    return added


def change(before: MemberProfile | None, after: MemberProfile | None) -> dict[str, int]:
    """The counts' change when a member's profile goes from `before` to `after` (None: no
    member); only the counts that change."""
    delta = counts(after)
    for key, n in counts(before).items():
        delta[key] = delta.get(key, 0) - n
    return {key: n for key, n in delta.items() if n}


def cohort_month(key: str) -> str:
    """The month of a count's enrolment day: the document it is kept in."""
    return month_of(key)


def triangle(kept: Iterable[tuple[str, int]], from_day: str, to_day: str) -> list[Cohort]:
    """The retention triangle (domain/retention.py's) of the members enrolled from
    `from_day` to `to_day`, from the counts of their cohorts' months."""
    months = months_between(month_of(from_day), month_of(to_day))
    sizes = dict.fromkeys(months, 0)
    buyers: dict[tuple[str, str], int] = {}
    for key, n in kept:
        since, _, first = key.partition(SEPARATOR)
        if not from_day <= since <= to_day:
            continue
        if not first:
            sizes[month_of(since)] += n
        elif first <= to_day:
            cell = (month_of(since), month_of(first))
            buyers[cell] = buyers.get(cell, 0) + n
    return cohorts(months, sizes, buyers)
