"""Which keys may use which member endpoints, and who they are to the audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from gateway.access.auth import OperatorKey, RequireChannels
from gateway.tenancy.keys import ApiKey
from loyalty.member.v1 import member_pb2

MemberOperator = OperatorKey
MemberSelfService = Annotated[
    ApiKey, Depends(RequireChannels("operator", "app", "miniprogram", members=True))
]
MemberApp = Annotated[ApiKey, Depends(RequireChannels("app", "miniprogram", members=True))]


def actor_of(caller: ApiKey) -> member_pb2.Actor:
    """The key as the member service records it: id and channel, never the secret (a member
    token is recorded as its channel, with its session id)."""
    kind = "operator" if caller.channel == "operator" else "channel"
    return member_pb2.Actor(kind=kind, channel=caller.channel, key_id=caller.key_id)
