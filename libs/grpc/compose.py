"""One gRPC servicer made of explicit parts, composed in one place.

A service with many RPCs keeps them in small sub-servicers (one per area: members, admin,
merges, ...), each with the handlers it needs. `compose` mounts them as the one servicer
the generated `add_<Service>Servicer_to_server` expects, and refuses to start when an RPC
has no part, two parts, or a part answers something the service does not have.
"""

from __future__ import annotations

from typing import TypeVar

Servicer = TypeVar("Servicer")


def rpc_names(servicer: type[object]) -> list[str]:
    """The RPCs of a generated servicer class (its methods named in CamelCase)."""
    return [
        name for name, value in vars(servicer).items() if callable(value) and name[:1].isupper()
    ]


def compose(servicer: type[Servicer], *parts: object) -> Servicer:
    rpcs = rpc_names(servicer)
    composed = servicer()
    for name in rpcs:
        owners = [part for part in parts if callable(getattr(part, name, None))]
        if len(owners) != 1:
            raise TypeError(f"{_name(servicer)}.{name} is answered by {len(owners)} parts")
        setattr(composed, name, getattr(owners[0], name))
    for part in parts:
        extra = [n for n in rpc_names(type(part)) if n not in rpcs]
        if extra:
            raise TypeError(f"{type(part).__name__} answers RPCs {_name(servicer)} lacks: {extra}")
    return composed


def _name(servicer: object) -> str:
    return getattr(servicer, "__name__", repr(servicer))
