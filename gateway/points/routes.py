"""`/v1/members/{member_id}/points`: balance and ledger (docs/api.md, Points), and the
member's own transfers from the app."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from gateway.clients import MemberClient, PointsClient
from gateway.container import get_container
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.problems import problem_responses
from gateway.points.access import PointsReader, PointsWriter
from gateway.points.admin_answers import TransferOut
from gateway.points.admin_bodies import MemberTransferBody
from gateway.points.admin_transfers import make_transfer
from gateway.points.answers import ExpiringOut, ExpiringPointsOut, LedgerOut, PointsOut
from gateway.points.translate import ledger_from_proto, points_from_proto, points_from_view
from gateway.shared.languages import answer_language
from gateway.shared.members import member_in_tenant
from libs.balance_view import BalanceView, BalanceViews
from libs.clock import utc_now
from libs.logging import get_logger
from libs.timestamps import aware
from loyalty.points.v1 import points_pb2

log = get_logger(__name__)

router = APIRouter(prefix="/v1/members/{member_id}/points", tags=["points"])

MemberId = Annotated[str, Path(min_length=1, max_length=128)]
_PROBLEMS = problem_responses(401, 403, 404, 422, 503, 504)


@router.get("", response_model=PointsOut, summary="A member's points", responses=_PROBLEMS)
async def get_points(caller: PointsReader, request: Request, member_id: MemberId) -> Response:
    # The points service writes each member's balance to Redis after every change, before
    # it answers (libs/balance_view.py): one round trip answers most reads. A miss, an
    # empty balance or Redis away asks the points service, which fills the entry.
    # The clients taken from the container rather than as three more dependencies, and
    # the answer encoded once by pydantic-core rather than validated again and re-encoded
    # by FastAPI: this is the gateway's most frequent request (docs/performance.md).
    container = await get_container(request)
    view = await _read_model(container.balances, caller.tenant_id, member_id)
    if view is not None and not view.empty:
        return answer_from_view(view)
    # The points service knows only ledgers; whether the member is in the caller's
    # tenant is the member service's to say (404 otherwise, never an empty balance).
    # Wallets are keyed by tenant and only made for members the gateway found in that
    # tenant, so a balance with anything in it already says so: the member service is
    # asked only about empty ones, which spares most reads a call (docs/performance.md).
    rpc = points_pb2.GetBalanceRequest(tenant_id=caller.tenant_id, member_id=member_id)
    reply = await container.points.GetBalance(rpc)
    if not _has_wallet(reply.balance):
        await member_in_tenant(container.member, caller.tenant_id, member_id)
    return _json(points_from_proto(reply.balance))


def answer_from_view(view: BalanceView) -> Response:
    """The answer to a balance read that the read model's entry answers (not empty)."""
    return _json(points_from_view(view, utc_now()))


def _json(answer: PointsOut) -> Response:
    return Response(answer.model_dump_json(), media_type="application/json")


async def _read_model(
    balances: BalanceViews | None, tenant_id: str, member_id: str
) -> BalanceView | None:
    if balances is None:
        return None
    try:
        return await balances.get(tenant_id, member_id)
    except Exception as exc:  # Redis away or an unreadable entry: the points service answers
        log.info("balance_view_unread", error=repr(exc))
        return None


def _has_wallet(balance: points_pb2.Balance) -> bool:
    return bool(balance.available or balance.held or balance.pending or balance.lifetime_earned)


@router.get(
    "/ledger",
    response_model=LedgerOut,
    summary="A member's ledger, newest first",
    responses=_PROBLEMS,
)
async def get_ledger(
    *,
    request: Request,
    response: Response,
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
    reply = await points.GetLedger(rpc)
    return ledger_from_proto(reply, await answer_language(request, response, caller.tenant_id))


@router.get(
    "/expiring",
    response_model=ExpiringPointsOut,
    summary="What a member's points lose in the next days",
    responses=_PROBLEMS,
)
async def get_expiring(
    *,
    caller: PointsReader,
    members: MemberClient,
    points: PointsClient,
    member_id: MemberId,
    days: Annotated[int, Query(ge=1, le=365)] = 30,
) -> ExpiringPointsOut:
    await member_in_tenant(members, caller.tenant_id, member_id)
    rpc = points_pb2.GetExpiringPointsRequest(
        tenant_id=caller.tenant_id, member_id=member_id, days=days
    )
    reply = await points.GetExpiringPoints(rpc)
    return ExpiringPointsOut(
        days=reply.days,
        points=reply.points,
        expiring=[
            ExpiringOut(points=e.points, expires_at=aware(e.expires_at)) for e in reply.expiring
        ],
    )


@router.post(
    "/transfers",
    status_code=201,
    response_model=TransferOut,
    summary="The member gives points to another member (from the member's app)",
    description=(
        "For the app and mini-program keys, where the member is signed in. Within the "
        "tenant's daily limit; see `POST /v1/admin/points/transfers` for the refusals."
    ),
    responses={
        200: {"model": TransferOut, "description": "Seen before: the first answer"},
        **problem_responses(401, 403, 404, 409, 413, 422, 503, 504),
    },
    openapi_extra=json_body(MemberTransferBody),
)
async def transfer_points(
    request: Request,
    caller: PointsWriter,
    members: MemberClient,
    points: PointsClient,
    member_id: MemberId,
) -> JSONResponse:
    body = parse_body(MemberTransferBody, await read_json(request))
    return await make_transfer(points, members, caller, body, member_id)
