"""Which channel and store a call acts for, given the caller's key. Pure functions."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.edge.problems import ApiProblem, validation_problem
from gateway.tenancy.keys import ApiKey, Channel


def _invalid(field: str, message: str) -> ApiProblem:
    return validation_problem([{"loc": ("body", field), "msg": message}])


def check_store_binding(bound: frozenset[str], requested_store_id: str | None) -> None:
    """A caller bound to stores (a store-bound key, a store manager) may not act for
    another (403)."""
    if bound and requested_store_id is not None and requested_store_id not in bound:
        stores = ", ".join(sorted(bound))
        raise ApiProblem(403, "forbidden", f"this caller may act only for store {stores}")


def resolve_channel(key_channel: Channel, requested: Channel | None) -> Channel:
    """The key's channel; a channel named in the body must match it (422).

    An operator key may act for any channel, and for `operator` when it names none.
    """
    if key_channel == "operator":
        return requested or "operator"
    if requested is not None and requested != key_channel:
        raise _invalid("channel", f"must be {key_channel!r}, the channel of the API key")
    return key_channel


def resolve_store(channel: Channel, bound: frozenset[str], requested: str | None) -> str | None:
    """The store named in the body, else the caller's one store; POS calls and callers
    bound to several stores must name one (422)."""
    if requested:
        return requested
    if len(bound) == 1:
        return next(iter(bound))
    if bound:
        raise _invalid("store_id", "is required: this caller acts for several stores")
    if channel == "pos":
        raise _invalid("store_id", "is required for the pos channel")
    return None


@dataclass(frozen=True)
class Touchpoint:
    """The channel and store a call acts for."""

    channel: Channel
    store_id: str | None


def touchpoint(caller: ApiKey, channel: Channel | None, store_id: str | None) -> Touchpoint:
    """The key's channel (a body's must match it, 422) and store (POS calls need one, 422)."""
    resolved = resolve_channel(caller.channel, channel)
    return Touchpoint(resolved, resolve_store(resolved, caller.bound_stores, store_id))
