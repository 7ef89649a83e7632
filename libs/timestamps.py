"""Between protobuf timestamps and aware UTC datetimes, for every service."""

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


def aware(stamp: Timestamp) -> datetime:
    """The timestamp as an aware UTC datetime."""
    return stamp.ToDatetime(tzinfo=UTC)


def optional_datetime(message: Any, name: str) -> datetime | None:
    """The message's timestamp field `name`, or None where it is not set."""
    if not message.HasField(name):
        return None
    return aware(getattr(message, name))
