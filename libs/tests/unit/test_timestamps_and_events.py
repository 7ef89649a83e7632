"""Timestamps round-trip as aware UTC datetimes; an event's header addresses its outbox row."""

from __future__ import annotations

from datetime import UTC, datetime

from libs.clock import FakeClock, stored_now, utc_now
from libs.events import event_meta, outbox_message
from libs.timestamps import aware, optional_datetime, optional_timestamp, timestamp
from loyalty.points.v1 import points_pb2 as pb

AT = datetime(2026, 11, 25, 2, 15, 30, 123456, tzinfo=UTC)


def test_a_datetime_comes_back_from_its_timestamp_unchanged_and_aware() -> None:
    assert aware(timestamp(AT)) == AT


def test_an_unset_timestamp_field_reads_as_none() -> None:
    request = pb.AccrueOrderRequest(occurred_at=optional_timestamp(None))

    assert optional_datetime(request, "occurred_at") is None
    request.occurred_at.CopyFrom(timestamp(AT))
    assert optional_datetime(request, "occurred_at") == AT


def test_the_outbox_row_of_an_event_carries_its_header() -> None:
    meta = event_meta("ev_1", "t1", "points.earned", AT)

    row = outbox_message(meta, meta)

    assert (row.event_id, row.tenant_id, row.event_type, row.occurred_at) == (
        "ev_1",
        "t1",
        "points.earned",
        AT,
    )
    assert row.subject == "loyalty.t1.points.earned"


def test_the_clocks_answer_to_the_millisecond_that_mongodb_keeps() -> None:
    clock = FakeClock(AT)
    clock.advance(days=1)

    assert stored_now(clock).microsecond == 123000
    assert utc_now().microsecond % 1000 == 0
