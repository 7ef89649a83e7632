"""Which keys may use which member endpoints, and who they are to the audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from gateway.access.auth import OperatorKey, RequireChannels
from gateway.access.store_scope import scoped_to_stores
from gateway.tenancy.keys import ApiKey
from loyalty.member.v1 import member_pb2

MemberOperator = OperatorKey
MemberSelfService = Annotated[ApiKey, Depends(RequireChannels("operator", "app", "miniprogram"))]
MemberApp = Annotated[ApiKey, Depends(RequireChannels("app", "miniprogram"))]


def actor_of(caller: ApiKey, store_id: str | None = None) -> member_pb2.Actor:
    """The key as the member service records it: id and channel, never the secret, and the
    store it acts for (`store_id`, else the one store it is bound to)."""
    kind = "operator" if caller.channel == "operator" else "channel"
    bound = caller.bound_stores
    store = store_id or (next(iter(bound)) if len(bound) == 1 else "")
    return member_pb2.Actor(kind=kind, channel=caller.channel, key_id=caller.key_id, store_id=store)


def may_read(caller: ApiKey, member: member_pb2.Member) -> bool:
    """Whether the caller may read this member's personal data: anyone the matrix lets
    enrol may, except a store manager for a member enrolled at a store not theirs."""
    return not scoped_to_stores(caller) or member.enrolled_store_id in caller.bound_stores
