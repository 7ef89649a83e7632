"""`/v1/admin/coupon-templates` and `/v1/admin/coupon-batches`: operators define coupons,
generate codes in bulk and create public codes."""

from __future__ import annotations

from typing import Annotated

import grpc
from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from grpc import aio

from gateway.access.auth import Caller
from gateway.clients import AppContainer, CouponClient
from gateway.coupons.answers import (
    BatchCodesOut,
    CouponBatchOut,
    CouponTemplateListOut,
    CouponTemplateOut,
)
from gateway.coupons.bodies import CouponTemplateBody, GenerateCouponsBody, PublicCodeBody
from gateway.coupons.generate_background import KIND as GENERATION_KIND
from gateway.coupons.generate_background import STEP_CODES, first_result, generation_input
from gateway.coupons.translate import batch_code_out, template_definition, template_out
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.languages import content_language
from gateway.edge.problems import problem_responses
from gateway.edge.rpc_errors import problem_from_rpc_error
from gateway.shared.answers import CouponOut
from gateway.shared.languages import answer_language, reader_language
from gateway.shared.operation_answers import (
    ACCEPTED_RESPONSE,
    AsyncQuery,
    accepted,
    respond_async,
)
from gateway.shared.translate import coupon_out
from gateway.tenancy.operations import OPERATIONS, OperationStore, operation_doc
from loyalty.campaign.v1 import coupons_pb2 as pb

router = APIRouter(prefix="/v1/admin", tags=["admin: coupons"])

TemplateId = Annotated[str, Path(min_length=1, max_length=64)]
BatchId = Annotated[str, Path(min_length=1, max_length=64)]
TEMPLATE_NOT_FOUND = {grpc.StatusCode.NOT_FOUND: "coupon_template_not_found"}
_UPSTREAM = (503, 504)
_T = "/coupon-templates"
# Storing 100,000 codes takes tens of seconds on the embedded database.
BULK_SECONDS = 120.0


@router.post(
    _T,
    status_code=201,
    response_model=CouponTemplateOut,
    summary="Define a coupon: its discount, minimum total, validity and uses",
    description="The template starts `active`: its coupons may be issued and redeemed.",
    responses=problem_responses(401, 403, 413, 422, *_UPSTREAM),
    openapi_extra=json_body(CouponTemplateBody),
)
async def create_template(request: Request, caller: Caller, coupons: CouponClient) -> JSONResponse:
    body = parse_body(CouponTemplateBody, await read_json(request))
    rpc = pb.CreateCouponTemplateRequest(
        tenant_id=caller.tenant_id, definition=template_definition(body)
    )
    reply = await coupons.CreateCouponTemplate(rpc)
    locale = await reader_language(request, caller.tenant_id)
    answer = JSONResponse(template_out(reply.template, locale).model_dump(mode="json"), 201)
    content_language(answer, locale)
    return answer


@router.get(
    _T,
    response_model=CouponTemplateListOut,
    summary="The tenant's coupon templates, newest first, each with how much it was used",
    responses=problem_responses(401, 403, 422, *_UPSTREAM),
)
async def list_templates(
    *,
    request: Request,
    response: Response,
    caller: Caller,
    coupons: CouponClient,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> CouponTemplateListOut:
    rpc = pb.ListCouponTemplatesRequest(tenant_id=caller.tenant_id, limit=limit)
    reply = await coupons.ListCouponTemplates(rpc)
    usage = {u.template_id: u for u in reply.usage}
    locale = await answer_language(request, response, caller.tenant_id)
    return CouponTemplateListOut(
        templates=[template_out(t, locale, usage.get(t.template_id)) for t in reply.templates]
    )


async def _call(call: aio.UnaryUnaryMultiCallable, rpc: object) -> pb.CouponTemplate:  # type: ignore[type-arg]
    try:
        reply = await call(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, TEMPLATE_NOT_FOUND) from None
    template: pb.CouponTemplate = reply.template
    return template


@router.get(
    f"{_T}/{{template_id}}",
    response_model=CouponTemplateOut,
    summary="A coupon template",
    responses=problem_responses(401, 403, 404, *_UPSTREAM),
)
async def get_template(
    request: Request,
    response: Response,
    caller: Caller,
    coupons: CouponClient,
    template_id: TemplateId,
) -> CouponTemplateOut:
    locale = await answer_language(request, response, caller.tenant_id)
    rpc = pb.GetCouponTemplateRequest(tenant_id=caller.tenant_id, template_id=template_id)
    try:
        reply = await coupons.GetCouponTemplate(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, TEMPLATE_NOT_FOUND) from None
    return template_out(reply.template, locale, reply.usage)


@router.post(
    f"{_T}/{{template_id}}/pause",
    response_model=CouponTemplateOut,
    summary="Stop issuing and redeeming the template's coupons until resumed",
    description="Pausing a paused template changes nothing.",
    responses=problem_responses(401, 403, 404, *_UPSTREAM),
)
async def pause_template(
    request: Request,
    response: Response,
    caller: Caller,
    coupons: CouponClient,
    template_id: TemplateId,
) -> CouponTemplateOut:
    locale = await answer_language(request, response, caller.tenant_id)
    rpc = pb.PauseCouponTemplateRequest(tenant_id=caller.tenant_id, template_id=template_id)
    return template_out(await _call(coupons.PauseCouponTemplate, rpc), locale)


@router.post(
    f"{_T}/{{template_id}}/resume",
    response_model=CouponTemplateOut,
    summary="Issue and redeem the template's coupons again",
    responses=problem_responses(401, 403, 404, *_UPSTREAM),
)
async def resume_template(
    request: Request,
    response: Response,
    caller: Caller,
    coupons: CouponClient,
    template_id: TemplateId,
) -> CouponTemplateOut:
    locale = await answer_language(request, response, caller.tenant_id)
    rpc = pb.ResumeCouponTemplateRequest(tenant_id=caller.tenant_id, template_id=template_id)
    return template_out(await _call(coupons.ResumeCouponTemplate, rpc), locale)


@router.post(
    f"{_T}/{{template_id}}/batches",
    status_code=201,
    response_model=CouponBatchOut,
    summary="Generate up to 100,000 bearer codes of the template as one batch",
    description=(
        "Each code is 12 random characters from an alphabet without look-alikes (no 0/O, "
        "1/I). Whoever holds a code may use it, within the template's limits. Read the "
        "codes back with `GET /v1/admin/coupon-batches/{batch_id}/codes`. With "
        "`?async=true` (or `Prefer: respond-async`) the gateway generates them in the "
        f"background, {STEP_CODES:,} codes a step, each step one batch: 202 with the "
        "operation (kind `coupon_codes`, subject the template), whose `done` of `total` "
        "counts the codes generated and whose `result` lists the batches "
        '(`{"batches": [{"batch_id", "count"}]}`). A step run again after a gateway '
        "stopped answers the batch it generated before, never a second one."
    ),
    responses={
        **ACCEPTED_RESPONSE,
        **problem_responses(401, 403, 404, 409, 413, 422, *_UPSTREAM),
    },
    openapi_extra=json_body(GenerateCouponsBody),
)
async def generate_coupons(
    *,
    request: Request,
    caller: Caller,
    coupons: CouponClient,
    container: AppContainer,
    template_id: TemplateId,
    run_async: AsyncQuery = False,
) -> JSONResponse:
    body = parse_body(GenerateCouponsBody, await read_json(request))
    if respond_async(request, run_async):
        # The template checked now: an unknown one is a 404 here, not a failed operation.
        known = pb.GetCouponTemplateRequest(tenant_id=caller.tenant_id, template_id=template_id)
        await _call(coupons.GetCouponTemplate, known)
        doc = operation_doc(
            caller.tenant_id,
            caller.key_id,
            GENERATION_KIND,
            template_id,
            body.count,
            work=generation_input(template_id, body.count),
            result=first_result(),
        )
        return accepted(await OperationStore(container.db[OPERATIONS]).start_background(doc))
    rpc = pb.GenerateCouponsRequest(
        tenant_id=caller.tenant_id, template_id=template_id, count=body.count
    )
    try:
        reply = await coupons.GenerateCoupons(rpc, timeout=BULK_SECONDS)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, TEMPLATE_NOT_FOUND) from None
    answer = CouponBatchOut(batch_id=reply.batch_id, template_id=template_id, count=reply.count)
    return JSONResponse(answer.model_dump(mode="json"), status_code=201)


@router.get(
    "/coupon-batches/{batch_id}/codes",
    response_model=BatchCodesOut,
    summary="The codes of a batch, in code order, page by page",
    responses=problem_responses(401, 403, 422, *_UPSTREAM),
)
async def batch_codes(
    caller: Caller,
    coupons: CouponClient,
    batch_id: BatchId,
    after: Annotated[str, Query(max_length=64)] = "",
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
) -> BatchCodesOut:
    rpc = pb.ListBatchCouponsRequest(
        tenant_id=caller.tenant_id, batch_id=batch_id, after=after, limit=limit
    )
    reply = await coupons.ListBatchCoupons(rpc)
    return BatchCodesOut(
        batch_id=batch_id,
        codes=[batch_code_out(c) for c in reply.coupons],
        next_after=reply.next_after or None,
    )


@router.post(
    f"{_T}/{{template_id}}/public-codes",
    status_code=201,
    response_model=CouponOut,
    summary="A public code: one code for many shoppers, within a total and per-member limit",
    description="409 `coupon_code_taken` when the tenant has that code already.",
    responses=problem_responses(401, 403, 404, 409, 413, 422, *_UPSTREAM),
    openapi_extra=json_body(PublicCodeBody),
)
async def create_public_code(
    request: Request, caller: Caller, coupons: CouponClient, template_id: TemplateId
) -> JSONResponse:
    body = parse_body(PublicCodeBody, await read_json(request))
    rpc = pb.CreatePublicCodeRequest(
        tenant_id=caller.tenant_id,
        template_id=template_id,
        code=body.code or "",
        usage_limit=body.usage_limit,
        per_member_limit=body.per_member_limit,
    )
    try:
        reply = await coupons.CreatePublicCode(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, TEMPLATE_NOT_FOUND) from None
    return JSONResponse(coupon_out(reply.coupon).model_dump(mode="json"), status_code=201)
