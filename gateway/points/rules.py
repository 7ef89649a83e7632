"""When an order may have happened, who an order or redemption is for, and from where.
Pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from gateway.access.touchpoints import resolve_channel, resolve_store
from gateway.edge.problems import ApiProblem, validation_problem
from gateway.tenancy.keys import ApiKey, Channel

MAX_AHEAD = timedelta(minutes=5)
# How far back a till that was offline may still send its orders (API.md: a tenant
# window, 30 days by default). No tenant sets another window yet.
DEFAULT_CATCH_UP_WINDOW = timedelta(days=30)


def check_occurred_at(
    occurred_at: datetime, *, now: datetime, window: timedelta = DEFAULT_CATCH_UP_WINDOW
) -> None:
    """At most 5 minutes ahead of `now` (clock skew) and at most `window` behind it (422)."""
    if occurred_at > now + MAX_AHEAD:
        message = "may be at most 5 minutes in the future"
    elif occurred_at < now - window:
        message = f"may be at most {window.days} days in the past"
    else:
        return
    raise validation_problem([{"loc": ("body", "occurred_at"), "msg": message}])


def survivor_of(member_id: str, status: str, merged_into: str) -> str | None:
    """None for an active member; the survivor's id for a merged one; else 409.

    Orders and redemptions naming a merged member act for the member it was merged into,
    where its points and orders went; an erased member can do neither.
    """
    if status == "active":
        return None
    if status == "merged" and merged_into:
        return merged_into
    raise ApiProblem(409, "member_not_active", f"member {member_id} is {status or 'not active'}")


@dataclass(frozen=True)
class Touchpoint:
    """The channel and store a call acts for."""

    channel: Channel
    store_id: str | None


def touchpoint(caller: ApiKey, channel: Channel | None, store_id: str | None) -> Touchpoint:
    """The key's channel (a body's must match it, 422) and store (POS calls need one, 422)."""
    resolved = resolve_channel(caller.channel, channel)
    return Touchpoint(resolved, resolve_store(resolved, caller.bound_stores, store_id))
