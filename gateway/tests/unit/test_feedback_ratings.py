"""Members' ratings summed by store and by the tenant's day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from gateway.shared.ratings import Rating, RatingRow, by_store_and_day, window

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_ratings_are_averaged_per_store_and_per_day_where_the_tenant_is() -> None:
    ratings = [
        Rating("S001", datetime(2026, 12, 6, 16, 30, tzinfo=UTC), 5),  # 7 Dec in Shanghai
        Rating("S001", datetime(2026, 12, 7, 2, 0, tzinfo=UTC), 2),
        Rating("S001", datetime(2026, 12, 6, 10, 0, tzinfo=UTC), 4),
        Rating("S002", datetime(2026, 12, 7, 2, 0, tzinfo=UTC), 3),
    ]

    days, stores = by_store_and_day(ratings, SHANGHAI)

    assert days == [
        RatingRow("2026-12-06", "S001", 1, "4.00"),
        RatingRow("2026-12-07", "S001", 2, "3.50"),
        RatingRow("2026-12-07", "S002", 1, "3.00"),
    ]
    assert stores == [RatingRow("", "S001", 3, "3.67"), RatingRow("", "S002", 1, "3.00")]


def test_a_range_of_days_covers_the_tenants_midnights() -> None:
    start, end = window(SHANGHAI, date(2026, 12, 7), date(2026, 12, 7))

    assert start.astimezone(UTC) == datetime(2026, 12, 6, 16, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2026, 12, 7, 16, 0, tzinfo=UTC)
