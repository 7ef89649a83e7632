"""A store manager's members: those enrolled at one of their stores.

A store manager acts at the till of their stores for anyone (orders, returns and
redemptions name the member in the body), but reads and changes the records of members
enrolled at their stores only: any route naming a `member_id` answers 403 for another
member, and a lookup by identity finds only theirs. They read the orders of their stores
only: another store's order (or one placed at no store) answers 403. See
docs/permissions.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import grpc
from fastapi import Request
from grpc import aio

from gateway.edge.problems import ApiProblem
from gateway.tenancy.keys import ApiKey
from loyalty.member.v1 import member_pb2

if TYPE_CHECKING:
    from loyalty.member.v1.member_pb2_grpc import MemberServiceAsyncStub

STORE_MANAGER = "store_manager"


def scoped_to_stores(caller: ApiKey) -> bool:
    return caller.channel == "operator" and caller.role == STORE_MANAGER


def check_enrolled_at_their_stores(caller: ApiKey, member: member_pb2.Member) -> None:
    if scoped_to_stores(caller) and member.enrolled_store_id not in caller.bound_stores:
        raise ApiProblem(403, "forbidden", "this member was enrolled at a store you do not manage")


def check_placed_at_their_stores(caller: ApiKey, store_id: str) -> None:
    """For a store manager reading an order: one placed at their stores, or 403."""
    if scoped_to_stores(caller) and store_id not in caller.bound_stores:
        raise ApiProblem(403, "forbidden", "this order was placed at a store you do not manage")


async def check_member_store(
    request: Request, members: MemberServiceAsyncStub, caller: ApiKey
) -> None:
    """For a store manager calling a route that names a member: theirs, or 403. An unknown
    member is left to the route (404)."""
    member_id = request.path_params.get("member_id")
    if not scoped_to_stores(caller) or not isinstance(member_id, str):
        return
    rpc = member_pb2.GetMemberRequest(tenant_id=caller.tenant_id, member_id=member_id)
    try:
        reply = await members.GetMember(rpc)
    except aio.AioRpcError as err:
        if err.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
            return
        raise
    check_enrolled_at_their_stores(caller, reply.member)
