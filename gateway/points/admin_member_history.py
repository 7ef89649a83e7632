"""`/v1/admin/members/{id}/orders` and `/redemptions`: a member's orders (with their returns)
and redemptions, newest first, page by page, for the people serving the member."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from gateway.access.store_scope import scoped_to_stores
from gateway.clients import MemberClient, PointsClient
from gateway.edge.problems import problem_responses
from gateway.points.admin_access import PointsOperator
from gateway.points.admin_answers import RedemptionRecordOut
from gateway.points.admin_translate import redemption_record
from gateway.points.answers import OrderDetailOut
from gateway.points.translate import order_detail_from_proto
from gateway.shared.members import member_in_tenant
from gateway.tenancy.keys import ApiKey
from loyalty.points.v1 import points_pb2 as pb

router = APIRouter(prefix="/v1/admin/members", tags=["admin: points"])

MemberId = Annotated[str, Path(min_length=1, max_length=128)]
Limit = Annotated[int, Query(ge=1, le=100)]
Cursor = Annotated[str | None, Query(min_length=1, max_length=512)]
_PROBLEMS = problem_responses(401, 403, 404, 422, 503, 504)
_SCOPE = (
    " A store manager reads the members enrolled at their stores, and of those the records "
    "placed at their stores; `next_cursor` (null on the last page) gives the next page."
)


class MemberOrdersOut(BaseModel):
    orders: list[OrderDetailOut] = Field(description="Newest credited first")
    next_cursor: str | None


class MemberRedemptionsOut(BaseModel):
    redemptions: list[RedemptionRecordOut] = Field(description="Newest first")
    next_cursor: str | None


def _stores(caller: ApiKey) -> list[str]:
    return sorted(caller.bound_stores) if scoped_to_stores(caller) else []


async def _member_page(
    caller: PointsOperator,
    members: MemberClient,
    member_id: MemberId,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """A page of a member of the caller's tenant (404 otherwise), as either request's
    fields: of the caller's stores for a store manager."""
    await member_in_tenant(members, caller.tenant_id, member_id)
    return {
        "tenant_id": caller.tenant_id,
        "member_id": member_id,
        "limit": limit,
        "cursor": cursor or "",
        "store_ids": _stores(caller),
    }


MemberPage = Annotated[dict[str, Any], Depends(_member_page)]


@router.get(
    "/{member_id}/orders",
    response_model=MemberOrdersOut,
    summary="A member's orders with their returns, newest first",
    description=(
        "Each order as `GET /v1/admin/orders/{order_id}` answers it: totals, lines, store, "
        "what it earned, the campaigns applied and skipped, and its returns." + _SCOPE
    ),
    responses=_PROBLEMS,
)
async def member_orders(page: MemberPage, points: PointsClient) -> MemberOrdersOut:
    reply = await points.ListMemberOrders(pb.ListMemberOrdersRequest(**page))
    return MemberOrdersOut(
        orders=[order_detail_from_proto(o) for o in reply.orders],
        next_cursor=reply.next_cursor or None,
    )


@router.get(
    "/{member_id}/redemptions",
    response_model=MemberRedemptionsOut,
    summary="A member's redemptions of every status, newest first",
    description="Holds, captures, releases and reversals, with channel, store and order." + _SCOPE,
    responses=_PROBLEMS,
)
async def member_redemptions(page: MemberPage, points: PointsClient) -> MemberRedemptionsOut:
    reply = await points.ListMemberRedemptions(pb.ListMemberRedemptionsRequest(**page))
    return MemberRedemptionsOut(
        redemptions=[redemption_record(r) for r in reply.redemptions],
        next_cursor=reply.next_cursor or None,
    )
