"""A campaign's members' sums day by day, each page's months decoded once and kept, are
those decoded afresh, for any range, asked again, after a page's line changes and once
months are let go."""

from __future__ import annotations

from services.analytics.adapters.kept_day_rows import KeptDayRows
from services.analytics.adapters.profile_reads import enrolled_days
from services.analytics.domain.campaign_days import EnrolledDays
from services.analytics.tests.unit.test_kept_sums import (
    RANGES,
    _members,
    _page,
    _with_a_late_order,
)


def _docs(seed: int, pages: int = 3) -> list[dict[str, object]]:
    profiles = _members(seed, 450)
    return [{"_id": f"t:{n}", **_page(profiles[n::pages])} for n in range(pages)]


def _plain(found: EnrolledDays) -> tuple[list[str], list[tuple[str, list[str], list[int]]]]:
    return found.members, [(row.day, list(row.keys), list(row.sums)) for row in found.rows]


def test_kept_days_are_the_month_lines_days_for_any_range_asked_again_and_again() -> None:
    kept = KeptDayRows()
    for seed in range(3):
        docs = _docs(seed)
        for _ in range(2):  # the second time from what was kept
            for from_day, to_day in RANGES:
                fresh = enrolled_days(docs, from_day, to_day)
                assert fresh.rows
                assert _plain(enrolled_days(docs, from_day, to_day, kept)) == _plain(fresh)


def test_a_page_whose_month_changed_is_decoded_again() -> None:
    kept = KeptDayRows()
    profiles = _members(7, 200)
    page = {"_id": "t:0", **_page(profiles)}
    from_day, to_day = RANGES[0]
    before = enrolled_days([page], from_day, to_day, kept)
    assert _plain(before) == _plain(enrolled_days([page], from_day, to_day))
    changed = {"_id": "t:0", **_with_a_late_order(page, profiles)}

    after = enrolled_days([changed], from_day, to_day, kept)

    assert _plain(after) == _plain(enrolled_days([changed], from_day, to_day))
    assert _plain(after) != _plain(before)
    assert "2025-12-03" in [row.day for row in after.rows]


def test_months_past_the_member_days_kept_are_let_go_and_decoded_again_when_asked() -> None:
    kept = KeptDayRows(kept_member_days=200)
    docs = _docs(11)
    from_day, to_day = RANGES[0]
    for _ in range(2):
        found = enrolled_days(docs, from_day, to_day, kept)
        assert _plain(found) == _plain(enrolled_days(docs, from_day, to_day))
    assert 0 < kept._member_days <= 200 or len(kept._months) == 1


def test_a_page_without_an_id_is_decoded_each_time_and_not_kept() -> None:
    kept = KeptDayRows()
    docs = [{k: v for k, v in doc.items() if k != "_id"} for doc in _docs(3)]
    from_day, to_day = RANGES[0]

    found = enrolled_days(docs, from_day, to_day, kept)

    assert _plain(found) == _plain(enrolled_days(docs, from_day, to_day))
    assert len(kept._months) == 0
