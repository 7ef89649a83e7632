"""`/v1/admin/segments`: operators define audiences over member attributes and behaviour."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from gateway.access.auth import OperatorKey as SegmentOperator
from gateway.campaigns.audience_answers import SegmentListOut, SegmentOut, SegmentPreviewOut
from gateway.campaigns.audience_bodies import RfmSegmentBody, SegmentBody, SegmentPreviewBody
from gateway.campaigns.audience_translate import (
    rfm_cell_message,
    rfm_segment_name,
    rules_message,
    segment_out,
)
from gateway.clients import CampaignClient
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.problems import problem_responses
from loyalty.campaign.v1 import campaign_audience_pb2 as pb

router = APIRouter(prefix="/v1/admin/segments", tags=["admin: segments"])
rfm_router = APIRouter(prefix="/v1/admin/analytics/rfm", tags=["admin: segments"])

SegmentId = Annotated[str, Path(min_length=1, max_length=64)]
_UPSTREAM = (503, 504)
_MATERIALISED = (
    "Its membership is worked out at once and kept in a materialised set, refreshed in the "
    "background; `size` is the set's size at `refreshed_at`."
)


async def _created(
    campaigns: CampaignClient, tenant_id: str, name: str, rules: pb.SegmentRules
) -> JSONResponse:
    rpc = pb.CreateSegmentRequest(tenant_id=tenant_id, name=name, rules=rules)
    reply = await campaigns.CreateSegment(rpc)
    return JSONResponse(segment_out(reply.segment).model_dump(mode="json"), status_code=201)


@router.post(
    "",
    status_code=201,
    response_model=SegmentOut,
    summary="Save a segment",
    description=_MATERIALISED,
    responses=problem_responses(401, 403, 422, *_UPSTREAM),
    openapi_extra=json_body(SegmentBody),
)
async def create_segment(
    request: Request, caller: SegmentOperator, campaigns: CampaignClient
) -> JSONResponse:
    body = parse_body(SegmentBody, await read_json(request))
    return await _created(campaigns, caller.tenant_id, body.name, rules_message(body.rules))


@router.post(
    "/preview",
    response_model=SegmentPreviewOut,
    summary="How many members these rules hold now, without saving them",
    responses=problem_responses(401, 403, 422, *_UPSTREAM),
    openapi_extra=json_body(SegmentPreviewBody),
)
async def preview_segment(
    request: Request, caller: SegmentOperator, campaigns: CampaignClient
) -> SegmentPreviewOut:
    body = parse_body(SegmentPreviewBody, await read_json(request))
    rpc = pb.PreviewSegmentRequest(tenant_id=caller.tenant_id, rules=rules_message(body.rules))
    return SegmentPreviewOut(size=(await campaigns.PreviewSegment(rpc)).size)


@router.get(
    "",
    response_model=SegmentListOut,
    summary="The tenant's segments, newest first",
    responses=problem_responses(401, 403, *_UPSTREAM),
)
async def list_segments(caller: SegmentOperator, campaigns: CampaignClient) -> SegmentListOut:
    reply = await campaigns.ListSegments(pb.ListSegmentsRequest(tenant_id=caller.tenant_id))
    return SegmentListOut(segments=[segment_out(s) for s in reply.segments])


@router.get(
    "/{segment_id}",
    response_model=SegmentOut,
    summary="A segment and the size of its membership",
    responses=problem_responses(401, 403, 404, *_UPSTREAM),
)
async def get_segment(
    caller: SegmentOperator, campaigns: CampaignClient, segment_id: SegmentId
) -> SegmentOut:
    rpc = pb.GetSegmentRequest(tenant_id=caller.tenant_id, segment_id=segment_id)
    return segment_out((await campaigns.GetSegment(rpc)).segment)


@router.put(
    "/{segment_id}",
    response_model=SegmentOut,
    summary="Replace a segment's name and rules",
    description=_MATERIALISED,
    responses=problem_responses(401, 403, 404, 422, *_UPSTREAM),
    openapi_extra=json_body(SegmentBody),
)
async def update_segment(
    request: Request, caller: SegmentOperator, campaigns: CampaignClient, segment_id: SegmentId
) -> SegmentOut:
    body = parse_body(SegmentBody, await read_json(request))
    rpc = pb.UpdateSegmentRequest(
        tenant_id=caller.tenant_id,
        segment_id=segment_id,
        name=body.name,
        rules=rules_message(body.rules),
    )
    return segment_out((await campaigns.UpdateSegment(rpc)).segment)


@rfm_router.post(
    "/segments",
    status_code=201,
    response_model=SegmentOut,
    summary="Make a segment of one RFM cell",
    description=(
        "A live segment holding the members the RFM report puts in the cell "
        "(`recency`, `frequency`, `monetary`) for a range of `window_days` ending today, "
        "rolling: its rules are the cell's bounds (the report's fixed boundaries) over the "
        "last `window_days`, recency measured to the refresh, members who refused profiling "
        "left out. Campaigns target it like any segment. " + _MATERIALISED
    ),
    responses=problem_responses(401, 403, 422, *_UPSTREAM),
    openapi_extra=json_body(RfmSegmentBody),
)
async def create_rfm_segment(
    request: Request, caller: SegmentOperator, campaigns: CampaignClient
) -> JSONResponse:
    body = parse_body(RfmSegmentBody, await read_json(request))
    name = rfm_segment_name(body)
    return await _created(campaigns, caller.tenant_id, name, rfm_cell_message(body))
