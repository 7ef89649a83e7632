"""Which keys may use which member endpoints, and who they are to the audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from gateway.access.auth import Caller
from gateway.edge.problems import ApiProblem
from gateway.tenancy.keys import ApiKey, Channel
from loyalty.member.v1 import member_pb2


class RequireChannels:
    """A dependency: the authenticated caller, if its key is of one of `channels` (else 403)."""

    def __init__(self, *channels: Channel) -> None:
        self.channels = channels

    async def __call__(self, caller: Caller) -> ApiKey:
        if caller.channel not in self.channels:
            allowed = " or ".join(f"{c} keys" for c in self.channels)
            raise ApiProblem(403, "forbidden", f"only {allowed} may do this")
        return caller


MemberOperator = Annotated[ApiKey, Depends(RequireChannels("operator"))]
MemberSelfService = Annotated[ApiKey, Depends(RequireChannels("operator", "app", "miniprogram"))]
MemberApp = Annotated[ApiKey, Depends(RequireChannels("app", "miniprogram"))]


def actor_of(caller: ApiKey) -> member_pb2.Actor:
    """The key as the member service records it: id and channel, never the secret."""
    kind = "operator" if caller.channel == "operator" else "channel"
    return member_pb2.Actor(kind=kind, channel=caller.channel, key_id=caller.key_id)
