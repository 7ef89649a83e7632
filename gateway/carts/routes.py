"""`POST /v1/carts/evaluate`: what a cart would earn, which of the member's coupons apply
to it, and how far the member is from the next tier, without changing anything."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import grpc
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from grpc import aio

from gateway.access.auth import Caller
from gateway.access.touchpoints import Touchpoint, check_store_binding, touchpoint
from gateway.carts.answers import CartOut, CartPointsOut
from gateway.carts.bodies import CartBody
from gateway.clients import CodeUses, CouponClient, MemberClient, PointsClient
from gateway.edge.json_body import json_body, parse_body, read_json, top_level_str
from gateway.edge.languages import content_language
from gateway.edge.problems import problem_responses
from gateway.edge.rpc_errors import body_field_problem
from gateway.shared.answers import TierProgressOut
from gateway.shared.code_uses import claim_identity
from gateway.shared.languages import reader_language
from gateway.shared.members import active_member, member_context
from gateway.shared.purchases import OrderBody, accrue_request
from gateway.shared.tier_names import tier_names
from gateway.shared.translate import (
    balance_from_proto,
    coupon_out,
    earning_line_out,
    progress_from_proto,
)
from loyalty.campaign.v1 import coupons_pb2
from loyalty.member.v1 import member_pb2
from loyalty.points.v1 import points_pb2

router = APIRouter(prefix="/v1/carts", tags=["carts"])


async def _tier_progress(  # noqa: PLR0917 - the cart's facts
    request: Request,
    members: MemberClient,
    tenant_id: str,
    member_id: str,
    points: int,
    body: CartBody,
) -> tuple[TierProgressOut | None, int | None]:
    """Where the member stands, and what the next tier would still take once this cart is
    paid (the member service counts it as its program counts); None when the tenant has
    no tier program."""
    rpc = member_pb2.GetTierProgressRequest(
        tenant_id=tenant_id, member_id=member_id, cart_points=points, cart_spend=str(body.total)
    )
    try:
        reply = await members.GetTierProgress(rpc)
    except aio.AioRpcError as err:
        if err.code() is grpc.StatusCode.NOT_FOUND:
            return None, None
        raise
    progress = reply.progress
    after = (
        progress.still_needed_after_cart if progress.HasField("still_needed_after_cart") else None
    )
    _, names = await tier_names(request, tenant_id, members)
    return progress_from_proto(progress, names), after


async def _earning(
    request: Request,
    points: PointsClient,
    members: MemberClient,
    order: points_pb2.AccrueOrderRequest,
    body: CartBody,
) -> tuple[points_pb2.PreviewOrderResponse, TierProgressOut | None, int | None]:
    """What the cart earns (the points service judges its time, as for an order), then the
    way to the next tier with it."""
    try:
        preview = await points.PreviewOrder(points_pb2.PreviewOrderRequest(order=order))
    except aio.AioRpcError as err:
        raise body_field_problem(err, "occurred_at") from None
    progress, after = await _tier_progress(
        request, members, order.tenant_id, order.member.member_id, preview.points_earned, body
    )
    return preview, progress, after


def _order(body: CartBody, occurred_at: datetime) -> OrderBody:
    """The cart as an order the points service can price (it has no id yet)."""
    return OrderBody.model_construct(
        order_id="",
        occurred_at=occurred_at,
        currency=body.currency,
        total=body.total,
        lines=body.lines,
    )


def _cart(member_id: str, body: CartBody, at: Touchpoint) -> coupons_pb2.CouponPurchase:
    return coupons_pb2.CouponPurchase(
        member_id=member_id,
        total=str(body.total),
        currency=body.currency,
        channel=at.channel,
        store_id=at.store_id or "",
    )


@router.post(
    "/evaluate",
    response_model=CartOut,
    summary="What a cart would earn, the member's coupons that apply, the way to the next tier",
    description=(
        "The points are computed as `POST /v1/orders` would (base, tier and campaigns, with "
        "the breakdown), but nothing is credited or reserved and no campaign budget is "
        "held; the balance is the member's balance now. `coupons` lists the member's "
        "coupons valid for this cart."
    ),
    responses=problem_responses(401, 403, 404, 409, 413, 422, 503, 504),
    openapi_extra=json_body(CartBody),
)
async def evaluate_cart(  # noqa: PLR0917 - FastAPI's dependencies
    request: Request,
    caller: Caller,
    members: MemberClient,
    points: PointsClient,
    coupons: CouponClient,
    code_uses: CodeUses,
) -> JSONResponse:
    document = await read_json(request)
    check_store_binding(caller.bound_stores, top_level_str(document, "store_id"))
    body = parse_body(CartBody, document)
    occurred_at = body.occurred_at or datetime.now(UTC)
    at = touchpoint(caller, body.channel, body.store_id)
    await claim_identity(code_uses, caller, body.identity)
    member = await active_member(
        members, caller.tenant_id, member_id=body.member_id, identity=body.identity
    )
    order = accrue_request(
        _order(body, occurred_at), tenant_id=caller.tenant_id, at=at, member=member_context(member)
    )
    listing = coupons_pb2.ListMemberCouponsRequest(
        tenant_id=caller.tenant_id,
        member_id=member.member_id,
        cart=_cart(member.member_id, body, at),
    )
    (preview, progress, after), listed = await asyncio.gather(
        _earning(request, points, members, order, body), coupons.ListMemberCoupons(listing)
    )
    locale = await reader_language(request, caller.tenant_id)
    answer = CartOut(
        member_id=member.member_id,
        points=CartPointsOut(
            points_earned=preview.points_earned,
            breakdown=[earning_line_out(line, locale) for line in preview.breakdown],
            bonus_pending=preview.bonus_pending,
        ),
        balance=balance_from_proto(preview.balance),
        coupons=[coupon_out(m.coupon) for m in listed.coupons if m.applicable],
        tier_progress=progress,
        still_needed_after_cart=after,
    )
    answer_json = JSONResponse(answer.to_json())
    content_language(answer_json, locale)
    return answer_json
