from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gateway.campaigns.translate import reported_status

pytestmark = pytest.mark.unit

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "ends_at", "expected"),
    [
        ("active", NOW - timedelta(seconds=1), "ended"),
        ("paused", NOW, "ended"),
        ("active", NOW + timedelta(days=1), "active"),
        ("active", None, "active"),
        ("draft", NOW - timedelta(days=1), "draft"),
        ("ended", None, "ended"),
    ],
)
def test_a_campaign_past_its_end_is_reported_ended(
    status: str, ends_at: datetime | None, expected: str
) -> None:
    assert reported_status(status, ends_at, NOW) == expected
