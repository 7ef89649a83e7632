"""RFM's sums, and the league table's and a campaign's comparison's spends, with each
page's earlier months kept in process are the sums of the pages' month lines read
afresh, for any range, after a page's lines change and once pages are let go."""

from __future__ import annotations

from services.analytics.adapters.kept_range_sums import KeptRangeSums
from services.analytics.adapters.profile_reads import enrolled_sums, range_sums
from services.analytics.domain.month_sums import MemberTotals
from services.analytics.tests.unit.test_kept_sums import (
    RANGES,
    _members,
    _page,
    _with_a_late_order,
)


def _pages(seed: int) -> list[tuple[str, str]]:
    profiles = _members(seed, 600)
    return [(f"t:{n}", str(_page(profiles[n::3])["m"])) for n in range(3)]


def _sorted(totals: MemberTotals) -> list[tuple[str, int, int, str]]:
    return sorted(zip(*totals, strict=True))


def _plain(pages: list[tuple[str, str]], from_day: str, to_day: str) -> MemberTotals:
    return range_sums([text for _, text in pages], from_day, to_day).totals()


def test_kept_sums_are_the_month_lines_sums_for_any_range_asked_again_and_again() -> None:
    kept = KeptRangeSums()
    for seed in range(3):
        pages = _pages(seed)
        for _ in range(2):  # the second time from what was kept
            for from_day, to_day in RANGES:
                found = kept.range_sums(pages, from_day, to_day).totals()
                assert _sorted(found) == _sorted(_plain(pages, from_day, to_day))


def test_a_page_whose_earlier_months_changed_is_summed_again() -> None:
    kept = KeptRangeSums()
    profiles = _members(7, 200)
    page = _page(profiles)
    from_day, to_day = RANGES[0]
    before = [("t:0", str(page["m"]))]
    assert _sorted(kept.range_sums(before, from_day, to_day).totals()) == _sorted(
        _plain(before, from_day, to_day)
    )
    changed = _with_a_late_order(page, profiles)
    after = [("t:0", str(changed["m"]))]
    assert after != before

    found = kept.range_sums(after, from_day, to_day).totals()

    assert _sorted(found) == _sorted(_plain(after, from_day, to_day))
    assert _sorted(found) != _sorted(_plain(before, from_day, to_day))


def test_pages_past_the_members_kept_are_let_go_and_summed_again_when_asked() -> None:
    kept = KeptRangeSums(kept_members=150)
    pages = _pages(11)
    from_day, to_day = RANGES[0]
    for _ in range(2):
        found = kept.range_sums(pages, from_day, to_day).totals()
        assert _sorted(found) == _sorted(_plain(pages, from_day, to_day))
    assert len(kept._pages) < len(pages)


def test_the_league_tables_spends_from_kept_months_are_those_summed_afresh() -> None:
    kept = KeptRangeSums()
    profiles = _members(5, 300)
    docs = [{"_id": f"t:{n}", **_page(profiles[n::2])} for n in range(2)]
    for _ in range(2):  # the second time from what was kept
        for from_day, to_day in RANGES:
            fresh = enrolled_sums(docs, from_day, to_day, with_orders=True)
            found = enrolled_sums(docs, from_day, to_day, with_orders=True, earlier=kept)
            assert found == fresh
            assert found.spend
