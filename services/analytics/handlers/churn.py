"""Churn risk as of a day (domain/churn.py), narrowed to a tier and stores, with one page
of the members at risk."""

from __future__ import annotations

from dataclasses import dataclass, replace

from libs.paging import page_size
from services.analytics.domain.churn import ChurnRisk, churn_risk
from services.analytics.domain.days import day_range
from services.analytics.domain.errors import BadPageToken
from services.analytics.domain.ports import Reports


@dataclass(frozen=True)
class ChurnQuery:
    tenant_id: str
    as_of: str
    tier: str = ""
    store_ids: tuple[str, ...] = ()
    page_size: int = 0
    page_token: str = ""


@dataclass(frozen=True)
class ChurnPage:
    report: ChurnRisk  # its at_risk: this page's only
    at_risk: int
    next_page_token: str


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
    members = await reports.churn_members(query.tenant_id)
    report = churn_risk(members, query.as_of, query.tier, query.store_ids)
    end = start + size
    return ChurnPage(
        replace(report, at_risk=report.at_risk[start:end]),
        len(report.at_risk),
        str(end) if end < len(report.at_risk) else "",
    )
