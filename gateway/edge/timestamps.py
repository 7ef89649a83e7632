"""Between the services' protobuf timestamps and the gateway's aware datetimes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp


def timestamp(value: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def optional_timestamp(value: datetime | None) -> Timestamp | None:
    return None if value is None else timestamp(value)


def optional_datetime(message: Any, name: str) -> datetime | None:
    """The message's timestamp field `name`, or None where it is not set."""
    if not message.HasField(name):
        return None
    value: datetime = getattr(message, name).ToDatetime(tzinfo=UTC)
    return value


def timestamp_to_datetime(value: Timestamp) -> datetime:
    return value.ToDatetime(tzinfo=UTC)
