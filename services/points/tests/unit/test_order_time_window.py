"""When an order may have happened: at most 5 minutes ahead (clock skew), at most the
tenant's catch-up window behind (30 days unless the tenant says otherwise)."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from libs.errors import InvalidArgument
from services.points.domain.parsing import check_occurred_at

NOW = datetime(2026, 11, 25, 2, 15, tzinfo=UTC)
SHANGHAI = timezone(timedelta(hours=8))


def refusal(occurred_at: datetime, **window: timedelta) -> str:
    with pytest.raises(InvalidArgument) as raised:
        check_occurred_at(occurred_at, NOW, **window)
    return str(raised.value)


@pytest.mark.parametrize(
    "occurred_at",
    [
        NOW,
        NOW + timedelta(minutes=5),
        NOW - timedelta(days=30),
        datetime(2026, 11, 25, 10, 19, tzinfo=SHANGHAI),
    ],
)
def test_an_order_from_the_last_thirty_days_or_five_minutes_ahead_is_accepted(
    occurred_at: datetime,
) -> None:
    assert check_occurred_at(occurred_at, NOW) == occurred_at


def test_an_order_more_than_five_minutes_in_the_future_is_refused() -> None:
    message = refusal(NOW + timedelta(minutes=5, seconds=1))

    assert message == "occurred_at: may be at most 5 minutes in the future"


def test_the_future_is_judged_on_the_instant_whatever_the_offset() -> None:
    assert refusal(datetime(2026, 11, 25, 10, 21, tzinfo=SHANGHAI)).endswith("in the future")


def test_an_order_older_than_the_window_is_refused() -> None:
    message = refusal(NOW - timedelta(days=30, seconds=1))

    assert message == "occurred_at: may be at most 30 days in the past"


def test_a_tenant_window_other_than_thirty_days_is_honoured() -> None:
    message = refusal(NOW - timedelta(days=8), window=timedelta(days=7))

    assert message.endswith("at most 7 days in the past")
