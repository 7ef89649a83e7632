"""Churn risk with each page's members at risk kept in process is churn risk from every
page's headings worked out afresh, as of any day, for any tier and stores, after a page
changes and once pages are let go."""

from __future__ import annotations

from services.analytics.adapters.kept_churn_risks import KeptChurnRisks
from services.analytics.adapters.page_sections import kept_churns
from services.analytics.domain.churn_kept import kept_churn_risk
from services.analytics.tests.unit.test_kept_sums import _members, _page

DAYS = ("2025-12-10", "2026-04-01", "2026-12-24", "2027-06-01")
FILTERS: list[tuple[str, tuple[str, ...]]] = [("", ()), ("gold", ()), ("", ("S1",))]


def _pages(seed: int) -> list[dict[str, object]]:
    profiles = _members(seed, 600)
    return [{"_id": f"t:{n}", **_page(profiles[n::3])} for n in range(3)]


def test_kept_risks_are_churn_risk_from_every_page_for_any_day_and_filter_again_and_again() -> None:
    kept = KeptChurnRisks()
    for seed in range(3):
        pages = _pages(seed)
        for _ in range(2):  # the second time from what was kept
            for day in DAYS:
                for tier, stores in FILTERS:
                    assert kept.report(pages, day, tier, stores) == kept_churn_risk(
                        kept_churns(pages), day, tier, stores
                    )


def test_a_page_whose_headings_changed_is_worked_out_again() -> None:
    kept = KeptChurnRisks()
    pages = _pages(4)
    kept.report(pages, DAYS[2])
    changed = [pages[0], *_pages(5)[1:]]

    found = kept.report(changed, DAYS[2])

    assert found == kept_churn_risk(kept_churns(changed), DAYS[2])
    assert found != kept_churn_risk(kept_churns(pages), DAYS[2])


def test_pages_past_those_kept_are_let_go_and_worked_out_again_when_asked() -> None:
    kept = KeptChurnRisks(kept_pages=2)
    pages = _pages(6)
    for _ in range(2):
        assert kept.report(pages, DAYS[2]) == kept_churn_risk(kept_churns(pages), DAYS[2])
    assert len(kept._pages) == 2
