"""Coupons at the till and in the shop: `/v1/coupons/validate` and `/v1/coupons/redeem`;
a member's coupons; an operator issuing one to a member."""

from __future__ import annotations

from uuid import uuid4

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from grpc import aio

from gateway.access.auth import Caller
from gateway.access.touchpoints import check_store_binding, touchpoint
from gateway.clients import CodeUses, CouponClient, MemberClient
from gateway.coupons.answers import CouponRedemptionOut, CouponValidationOut, MemberCouponsOut
from gateway.coupons.bodies import (
    CouponPurchaseBody,
    IssueCouponBody,
    RedeemCouponBody,
    ValidateCouponBody,
)
from gateway.edge.json_body import json_body, parse_body, read_json, top_level_str
from gateway.edge.params import MemberId
from gateway.edge.problems import problem_responses
from gateway.edge.rpc_errors import problem_from_rpc_error
from gateway.shared.answers import CouponOut
from gateway.shared.code_uses import claim_identity
from gateway.shared.members import MEMBER_NOT_FOUND, active_member
from gateway.shared.translate import coupon_out
from gateway.tenancy.code_uses import MemberCodeUses
from gateway.tenancy.keys import ApiKey
from libs.timestamps import aware
from loyalty.campaign.v1 import coupons_pb2 as pb

router = APIRouter(tags=["coupons"])
_UPSTREAM = (503, 504)
_REFUSALS = (
    "409 `coupon_used_up` (also when the member has used a public code as often as "
    "allowed), `coupon_expired`, or `coupon_not_applicable` (another member's coupon, a "
    "total below the minimum, another currency, not valid yet, a paused offer); the "
    "detail names the exact reason. 404 `coupon_not_found` for a code the tenant does not have."
)


async def _purchase(
    caller: ApiKey,
    document: object,
    body: CouponPurchaseBody,
    members: MemberClient,
    code_uses: MemberCodeUses,
) -> pb.CouponPurchase:
    """The member (by id or identity, following merges; none for a bearer code) and the
    channel and store the call acts for, as other till calls name them."""
    check_store_binding(caller.bound_stores, top_level_str(document, "store_id"))
    at = touchpoint(caller, body.channel, body.store_id)
    member_id = ""
    if body.member_id is not None or body.identity is not None:
        await claim_identity(code_uses, caller, body.identity)
        member = await active_member(
            members, caller.tenant_id, member_id=body.member_id, identity=body.identity
        )
        member_id = member.member_id
    return pb.CouponPurchase(
        member_id=member_id,
        order_id=body.order_id or "",
        total="" if body.total is None else str(body.total),
        currency=body.currency or "",
        channel=at.channel,
        store_id=at.store_id or "",
    )


@router.post(
    "/v1/coupons/validate",
    response_model=CouponValidationOut,
    summary="Whether a code may be used for this sale, and what it is worth; changes nothing",
    description="A code the tenant has answers 200 with `valid` and, when false, the "
    "`reason`; 404 `coupon_not_found` otherwise.",
    responses=problem_responses(401, 403, 404, 409, 413, 422, *_UPSTREAM),
    openapi_extra=json_body(ValidateCouponBody),
)
async def validate_coupon(
    request: Request,
    caller: Caller,
    members: MemberClient,
    coupons: CouponClient,
    code_uses: CodeUses,
) -> CouponValidationOut:
    document = await read_json(request)
    body = parse_body(ValidateCouponBody, document)
    purchase = await _purchase(caller, document, body, members, code_uses)
    rpc = pb.ValidateCouponRequest(tenant_id=caller.tenant_id, code=body.code, purchase=purchase)
    reply = await coupons.ValidateCoupon(rpc)
    return CouponValidationOut(
        valid=reply.valid, reason=reply.reason or None, coupon=coupon_out(reply.coupon)
    )


@router.post(
    "/v1/coupons/redeem",
    status_code=201,
    response_model=CouponRedemptionOut,
    summary="Use a code for this sale, once per redemption_id",
    description="The till applies the discount; the platform records the use and "
    "publishes `coupon.redeemed`. Two tills redeeming one coupon at once: one succeeds. "
    "The same `redemption_id` again answers 200 with the first redemption. " + _REFUSALS,
    responses={
        200: {"model": CouponRedemptionOut, "description": "The first answer to this id"},
        **problem_responses(401, 403, 404, 409, 413, 422, *_UPSTREAM),
    },
    openapi_extra=json_body(RedeemCouponBody),
)
async def redeem_coupon(
    request: Request,
    caller: Caller,
    members: MemberClient,
    coupons: CouponClient,
    code_uses: CodeUses,
) -> JSONResponse:
    document = await read_json(request)
    body = parse_body(RedeemCouponBody, document)
    purchase = await _purchase(caller, document, body, members, code_uses)
    rpc = pb.RedeemCouponRequest(
        tenant_id=caller.tenant_id,
        code=body.code,
        purchase=purchase,
        redemption_id=body.redemption_id,
    )
    reply = await coupons.RedeemCoupon(rpc)
    answer = CouponRedemptionOut(
        redemption_id=reply.redemption_id,
        redeemed_at=aware(reply.redeemed_at),
        coupon=coupon_out(reply.coupon),
    )
    return JSONResponse(answer.model_dump(mode="json"), status_code=200 if reply.replayed else 201)


@router.get(
    "/v1/members/{member_id}/coupons",
    response_model=MemberCouponsOut,
    summary="The member's coupons, newest first, with their state",
    description="A merged member's id answers with the survivor's coupons.",
    responses=problem_responses(401, 403, 404, 409, *_UPSTREAM),
)
async def member_coupons(
    caller: Caller, members: MemberClient, coupons: CouponClient, member_id: MemberId
) -> MemberCouponsOut:
    member = await active_member(members, caller.tenant_id, member_id=member_id)
    rpc = pb.ListMemberCouponsRequest(tenant_id=caller.tenant_id, member_id=member.member_id)
    reply = await coupons.ListMemberCoupons(rpc)
    return MemberCouponsOut(
        member_id=member.member_id, coupons=[coupon_out(m.coupon) for m in reply.coupons]
    )


@router.post(
    "/v1/admin/members/{member_id}/coupons",
    status_code=201,
    response_model=CouponOut,
    summary="Issue a coupon of a template to a member",
    description="The same `issue_key` again answers 200 with the coupon issued first "
    "(without one, every call issues a coupon). 404 `member_not_found`, "
    "`coupon_template_not_found`; 409 `coupon_template_paused`.",
    responses={
        200: {"model": CouponOut, "description": "Issued before under this issue_key"},
        **problem_responses(401, 403, 404, 409, 413, 422, *_UPSTREAM),
    },
    openapi_extra=json_body(IssueCouponBody),
)
async def issue_coupon(
    request: Request,
    caller: Caller,
    members: MemberClient,
    coupons: CouponClient,
    member_id: MemberId,
) -> JSONResponse:
    body = parse_body(IssueCouponBody, await read_json(request))
    member = await active_member(members, caller.tenant_id, member_id=member_id)
    rpc = pb.IssueCouponRequest(
        tenant_id=caller.tenant_id,
        template_id=body.template_id,
        member_id=member.member_id,
        issue_key=f"operator:{body.issue_key or uuid4().hex}",
    )
    try:
        reply = await coupons.IssueCoupon(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, MEMBER_NOT_FOUND) from None
    answer = coupon_out(reply.coupon).model_dump(mode="json")
    return JSONResponse(answer, status_code=200 if reply.replayed else 201)
