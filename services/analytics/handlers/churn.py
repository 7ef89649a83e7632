"""Churn risk as of a day (domain/churn.py), narrowed to a tier and stores, with one page
of the members at risk; and win-back after inactivity campaigns over the year ending
that day (domain/winback.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from libs.errors import InvalidArgument
from libs.paging import page_size
from services.analytics.domain.churn import ChurnRisk
from services.analytics.domain.days import day_range, days_before
from services.analytics.domain.errors import BadPageToken
from services.analytics.domain.ports import Reports
from services.analytics.domain.winback import WIN_BACK_DAYS, WinBack, win_back


@dataclass(frozen=True)
class ChurnQuery:
    tenant_id: str
    as_of: str
    tier: str = ""
    store_ids: tuple[str, ...] = ()
    page_size: int = 0
    page_token: str = ""
    win_back_days: int = 0


@dataclass(frozen=True)
class ChurnPage:
    report: ChurnRisk  # its at_risk: this page's only
    at_risk: int
    next_page_token: str
    win_back: list[WinBack]
    win_back_days: int


YEAR_DAYS = 364
LONGEST_WIN_BACK_DAYS = 365


def _win_back_days(asked: int) -> int:
    if not 0 <= asked <= LONGEST_WIN_BACK_DAYS:
        raise InvalidArgument(f"win_back_days: from 1 to {LONGEST_WIN_BACK_DAYS}")
    return asked or WIN_BACK_DAYS


def _offset(token: str) -> int:
    if not token:
        return 0
    if not token.isdigit():
        raise BadPageToken("page_token: the previous page's next_page_token")
    return int(token)


async def churn(query: ChurnQuery, reports: Reports) -> ChurnPage:
    day_range(query.as_of, query.as_of)  # a day that is none is refused before any read
    size = page_size(query.page_size)
    start = _offset(query.page_token)
    days = _win_back_days(query.win_back_days)
    report = await reports.churn_risk(query.tenant_id, query.as_of, query.tier, query.store_ids)
    end = start + size
    rewarded = await reports.rewarded_members(query.tenant_id)
    triggers = {c: info.trigger for c, info in (await reports.campaigns(query.tenant_id)).items()}
    first = days_before(query.as_of, YEAR_DAYS)
    return ChurnPage(
        replace(report, at_risk=report.at_risk[start:end]),
        len(report.at_risk),
        str(end) if end < len(report.at_risk) else "",
        win_back(rewarded, triggers, first, query.as_of, days),
        days,
    )
