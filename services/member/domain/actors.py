"""Who changes a member: an operator, a touchpoint channel, or the platform itself."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from libs.errors import InvalidArgument


class ActorKind(StrEnum):
    OPERATOR = "operator"
    CHANNEL = "channel"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """Identifies the caller by its key id and channel, never by a secret."""

    kind: ActorKind
    channel: str = ""
    key_id: str = ""

    @classmethod
    def of_channel(cls, channel: str, key_id: str = "") -> Actor:
        kind = ActorKind.OPERATOR if channel == "operator" else ActorKind.CHANNEL
        return cls(kind, channel, key_id)


SYSTEM = Actor(ActorKind.SYSTEM)


def parse_actor(kind: str, channel: str, key_id: str, *, fallback_channel: str = "") -> Actor:
    """The actor a request names; without one, the request's channel acted."""
    if not kind:
        if not fallback_channel:
            raise InvalidArgument("actor: required")
        return Actor.of_channel(channel or fallback_channel, key_id)
    try:
        actor_kind = ActorKind(kind)
    except ValueError:
        allowed = ", ".join(k.value for k in ActorKind)
        raise InvalidArgument(f"actor.kind: must be one of {allowed}") from None
    if len(key_id) > 128 or len(channel) > 32:
        raise InvalidArgument("actor: key_id or channel too long")
    return Actor(actor_kind, channel, key_id)
