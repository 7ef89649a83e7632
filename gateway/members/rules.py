"""Which channel and store a call acts for, given the caller's key. Pure functions."""

from __future__ import annotations

from gateway.keys import Channel
from gateway.problems import ApiProblem, validation_problem


def _invalid(field: str, message: str) -> ApiProblem:
    return validation_problem([{"loc": ("body", field), "msg": message}])


def check_store_binding(key_store_id: str | None, requested_store_id: str | None) -> None:
    """A key bound to one store may not act for another (403)."""
    if key_store_id is not None and requested_store_id not in (None, key_store_id):
        raise ApiProblem(403, "forbidden", f"this API key may act only for store {key_store_id}")


def resolve_channel(key_channel: Channel, requested: Channel | None) -> Channel:
    """The key's channel; a channel named in the body must match it (422).

    An operator key may act for any channel, and for `operator` when it names none.
    """
    if key_channel == "operator":
        return requested or "operator"
    if requested is not None and requested != key_channel:
        raise _invalid("channel", f"must be {key_channel!r}, the channel of the API key")
    return key_channel


def resolve_store(channel: Channel, key_store_id: str | None, requested: str | None) -> str | None:
    """The store named in the body, else the key's store; POS calls must have one (422)."""
    store_id = requested or key_store_id
    if channel == "pos" and store_id is None:
        raise _invalid("store_id", "is required for the pos channel")
    return store_id
