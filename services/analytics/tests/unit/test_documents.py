"""What the reports take from a member's document: its last purchase in a window, and
times compared as the database compares them."""

from __future__ import annotations

from datetime import UTC, datetime

from services.analytics.adapters.documents import last_purchase
from services.analytics.domain.days import to_millisecond
from services.analytics.domain.ports import Scope

BUYS = {
    "buys": [
        {"d": "2026-03-01", "s": "S1", "c": "pos"},
        {"d": "2026-03-20", "s": "", "c": "app"},
        {"d": "2026-04-02", "s": "S1", "c": "pos"},
    ]
}


def test_the_last_purchase_is_the_latest_day_inside_the_window() -> None:
    scope = Scope("t1", "2026-01-01", "2026-03-31")

    assert last_purchase(BUYS, scope, "2026-02-28", "2026-03-31") == "2026-03-20"
    assert last_purchase(BUYS, scope, "2026-03-20", "2026-03-31") == ""


def test_a_store_or_channel_filter_takes_only_purchases_made_there() -> None:
    at_s1 = Scope("t1", "2026-01-01", "2026-03-31", store_ids=("S1",))
    by_app = Scope("t1", "2026-01-01", "2026-03-31", channel="app")
    s1_by_app = Scope("t1", "2026-01-01", "2026-03-31", store_ids=("S1",), channel="app")

    assert last_purchase(BUYS, at_s1, "2026-01-01", "2026-03-31") == "2026-03-01"
    assert last_purchase(BUYS, by_app, "2026-01-01", "2026-03-31") == "2026-03-20"
    # both on the same purchase, as $elemMatch asks
    assert last_purchase(BUYS, s1_by_app, "2026-01-01", "2026-03-31") == ""


def test_a_time_is_compared_to_the_millisecond_as_the_database_keeps_it() -> None:
    at = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)

    assert to_millisecond(at) == datetime(2026, 3, 1, 12, 0, 0, 123000, tzinfo=UTC)
