"""`/v1/members/{member_id}/points`: balance and ledger (API.md, Points)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from gateway.deps import MemberClient, PointsClient
from gateway.points.access import PointsReader
from gateway.points.answers import LedgerOut, PointsOut
from gateway.points.members import member_in_tenant
from gateway.points.translate import ledger_from_proto, points_from_proto
from gateway.problems import problem_responses
from loyalty.points.v1 import points_pb2

router = APIRouter(prefix="/v1/members/{member_id}/points", tags=["points"])

MemberId = Annotated[str, Path(min_length=1, max_length=128)]
_PROBLEMS = problem_responses(401, 403, 404, 422, 503, 504)


@router.get("", response_model=PointsOut, summary="A member's points", responses=_PROBLEMS)
async def get_points(
    caller: PointsReader, members: MemberClient, points: PointsClient, member_id: MemberId
) -> PointsOut:
    # The points service knows only ledgers; whether the member is in the caller's
    # tenant is the member service's to say (404 otherwise, never an empty balance).
    await member_in_tenant(members, caller.tenant_id, member_id)
    rpc = points_pb2.GetBalanceRequest(tenant_id=caller.tenant_id, member_id=member_id)
    reply = await points.GetBalance(rpc)
    return points_from_proto(reply.balance)


@router.get(
    "/ledger",
    response_model=LedgerOut,
    summary="A member's ledger, newest first",
    responses=_PROBLEMS,
)
async def get_ledger(
    *,
    caller: PointsReader,
    members: MemberClient,
    points: PointsClient,
    member_id: MemberId,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(min_length=1, max_length=512)] = None,
) -> LedgerOut:
    await member_in_tenant(members, caller.tenant_id, member_id)
    rpc = points_pb2.GetLedgerRequest(
        tenant_id=caller.tenant_id, member_id=member_id, limit=limit, cursor=cursor or ""
    )
    return ledger_from_proto(await points.GetLedger(rpc))
