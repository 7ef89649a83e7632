"""`GET /v1/members/{member_id}/export`: every service answers for what it holds."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from grpc import aio

from gateway.clients import CouponClient, MemberClient, PointsClient
from gateway.edge.params import MEMBER_NOT_FOUND, MemberId
from gateway.edge.problems import problem_responses
from gateway.edge.rpc_errors import problem_from_rpc_error
from gateway.export.answers import MemberExportOut
from gateway.export.compose import campaign_history, order_ids, redemptions
from gateway.members.access import MemberSelfService, actor_of
from gateway.members.privacy_translate import export_from_proto
from gateway.points.answers import LedgerEntryOut, OrderDetailOut
from gateway.points.translate import ledger_from_proto, order_detail_from_proto
from gateway.shared.answers import CouponOut
from gateway.shared.translate import coupon_out
from libs.paging import MAX_PAGE
from loyalty.campaign.v1 import coupons_pb2
from loyalty.member.v1 import member_pb2
from loyalty.points.v1 import points_pb2

router = APIRouter(prefix="/v1/members", tags=["members: privacy"])

# Orders read at once: enough to be quick, few enough to leave the points service room.
ORDER_READS = 8


async def whole_ledger(
    points: PointsClient, tenant_id: str, member_id: str
) -> list[LedgerEntryOut]:
    entries: list[LedgerEntryOut] = []
    cursor = ""
    while True:
        rpc = points_pb2.GetLedgerRequest(
            tenant_id=tenant_id, member_id=member_id, limit=MAX_PAGE, cursor=cursor
        )
        page = ledger_from_proto(await points.GetLedger(rpc))
        entries.extend(page.entries)
        if not page.next_cursor:
            return entries
        cursor = page.next_cursor


async def orders_of(
    points: PointsClient, tenant_id: str, ledger: list[LedgerEntryOut]
) -> list[OrderDetailOut]:
    gate = asyncio.Semaphore(ORDER_READS)

    async def read(order_id: str) -> OrderDetailOut:
        async with gate:
            rpc = points_pb2.GetOrderRequest(tenant_id=tenant_id, order_id=order_id)
            return order_detail_from_proto(await points.GetOrder(rpc))

    return list(await asyncio.gather(*(read(order_id) for order_id in order_ids(ledger))))


async def coupons_of(coupons: CouponClient, tenant_id: str, member_id: str) -> list[CouponOut]:
    rpc = coupons_pb2.ListMemberCouponsRequest(
        tenant_id=tenant_id, member_id=member_id, limit=MAX_PAGE
    )
    return [coupon_out(m.coupon) for m in (await coupons.ListMemberCoupons(rpc)).coupons]


@router.get(
    "/{member_id}/export",
    response_model=MemberExportOut,
    summary="Everything held about a member, as JSON (operator, app or mini-program keys)",
    description=(
        "The member with their profile and identities, the history of their consents, "
        "their tier history and the audit trail (member service); every ledger entry, "
        "every order with its returns, and the redemptions (points service); their "
        "coupons (campaign service); and the campaigns that rewarded them, with points or "
        "a coupon. The export itself is audited. An erased member's export holds no "
        "personal data: there is none left to give."
    ),
    responses=problem_responses(401, 403, 404, 503, 504),
)
async def export_member(
    caller: MemberSelfService,
    members: MemberClient,
    points: PointsClient,
    coupons: CouponClient,
    member_id: MemberId,
) -> JSONResponse:
    tenant_id = caller.tenant_id
    rpc = member_pb2.ExportMemberRequest(
        tenant_id=tenant_id, member_id=member_id, actor=actor_of(caller)
    )
    try:
        reply = await members.ExportMember(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, MEMBER_NOT_FOUND) from None
    held = export_from_proto(reply.export)
    ledger, held_coupons = await asyncio.gather(
        whole_ledger(points, tenant_id, member_id), coupons_of(coupons, tenant_id, member_id)
    )
    export = MemberExportOut(
        **dict(held),
        ledger=ledger,
        orders=await orders_of(points, tenant_id, ledger),
        redemptions=redemptions(ledger),
        coupons=held_coupons,
        campaign_history=campaign_history(ledger, held_coupons),
    )
    body = export.model_dump(mode="json", exclude_none=True)
    body["member"] = export.member.to_json()
    return JSONResponse(body)
