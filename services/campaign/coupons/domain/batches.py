"""Keyed batches of bearer codes: generated once per request id, however often asked.

A keyed batch is claimed first (its id and size, unique per tenant, template and request
id); then each of its `count` places gets one code. A call that finds the batch claimed
fills only the places still empty, and two calls filling the same place at once leave one
code there (the store keeps a place unique), so a batch never ends up with more codes than
it was claimed for.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from libs.errors import InvalidArgument

MAX_REQUEST_ID = 200


@dataclass(frozen=True)
class KeyedBatch:
    tenant_id: str
    template_id: str
    request_id: str
    batch_id: str
    count: int
    created_at: datetime


def checked_request_id(request_id: str) -> str:
    """The request id as given; refused when longer than a key should be."""
    if len(request_id) > MAX_REQUEST_ID:
        raise InvalidArgument(f"request_id: at most {MAX_REQUEST_ID} characters")
    return request_id


def empty_places(count: int, filled: Collection[int]) -> list[int]:
    """The places of a batch of `count` that have no code yet, in order."""
    return [place for place in range(count) if place not in filled]
