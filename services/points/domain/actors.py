"""Who asked for a change to points: a key's channel and id, and the store it acted for."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Identifies the caller by its key id, never by a secret; empty fields are unknown
    (records kept before actors were, and changes the platform makes itself)."""

    channel: str = ""
    store_id: str = ""
    key_id: str = ""


UNKNOWN = Actor()
