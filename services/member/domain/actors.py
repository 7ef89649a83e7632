"""Who changes a member: an operator, a touchpoint channel, or the platform itself."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from libs.errors import InvalidArgument


class ActorKind(StrEnum):
    OPERATOR = "operator"
    CHANNEL = "channel"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """Identifies the caller by its key id and channel, never by a secret, and the store
    it acted for (empty when none or unknown)."""

    kind: ActorKind
    channel: str = ""
    key_id: str = ""
    store_id: str = ""

    @classmethod
    def of_channel(cls, channel: str, key_id: str = "", store_id: str = "") -> Actor:
        kind = ActorKind.OPERATOR if channel == "operator" else ActorKind.CHANNEL
        return cls(kind, channel, key_id, store_id)

    def at_store(self, store_id: str) -> Actor:
        """The same caller, acting for `store_id` when it named none itself."""
        return self if self.store_id or not store_id else replace(self, store_id=store_id)


@dataclass(frozen=True)
class Provenance:
    """Who asserted that an identity is a member's, and when: the trace a takeover through
    a compromised channel backend or a misused till would leave."""

    actor: Actor
    at: datetime


SYSTEM = Actor(ActorKind.SYSTEM)


def parse_actor(
    kind: str, channel: str, key_id: str, *, fallback_channel: str = "", store_id: str = ""
) -> Actor:
    """The actor a request names; without one, the request's channel acted."""
    if len(store_id) > 64:
        raise InvalidArgument("actor: store_id too long")
    if not kind:
        if not fallback_channel:
            raise InvalidArgument("actor: required")
        return Actor.of_channel(channel or fallback_channel, key_id, store_id)
    try:
        actor_kind = ActorKind(kind)
    except ValueError:
        allowed = ", ".join(k.value for k in ActorKind)
        raise InvalidArgument(f"actor.kind: must be one of {allowed}") from None
    if len(key_id) > 128 or len(channel) > 32:
        raise InvalidArgument("actor: key_id or channel too long")
    return Actor(actor_kind, channel, key_id, store_id)
