"""The event types a webhook can subscribe to, and each event's JSON form: the stream's
events without personal data, shared with the members' timelines (gateway/shared/event_json.py)."""

from __future__ import annotations

from gateway.shared.event_json import CODES, EVENT_TYPES, FREE_TEXT, decode, plain

__all__ = ["CODES", "EVENT_TYPES", "FREE_TEXT", "decode", "plain"]
