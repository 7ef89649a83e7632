"""`/v1/admin/...points...`: operators adjust, transfer and reconcile points."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from gateway.clients import AppContainer, MemberClient, PointsClient
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.problems import problem_responses
from gateway.points.admin_access import PointsOperator, actor_of
from gateway.points.admin_answers import (
    AdjustmentOut,
    BulkReportOut,
    DriftingMemberOut,
    ReconciliationOut,
    TransferOut,
)
from gateway.points.admin_bodies import AdjustmentBody, TransferBody
from gateway.points.admin_bulk import adjust_from_file, content_file_id
from gateway.points.admin_bulk_background import KIND as BULK_KIND
from gateway.points.admin_bulk_steps import STEP_ROWS, bulk_input, first_report
from gateway.points.admin_csv import MAX_BYTES, MAX_ROWS, read_rows
from gateway.points.admin_settings import (
    PointsSettingsBody,
    PointsSettingsOut,
    check_policy,
    rule_from_body,
    settings_from_rule,
)
from gateway.points.admin_transfers import make_transfer
from gateway.points.admin_translate import adjust_request, adjustment_from_proto
from gateway.points.admin_upload import CSV_BODY, FileIdHeader, FileIdQuery, require_csv
from gateway.shared.members import active_member
from gateway.shared.operation_answers import (
    ACCEPTED_RESPONSE,
    AsyncQuery,
    accepted,
    respond_async,
)
from gateway.tenancy.operations import OPERATIONS, OperationStore, operation_doc
from loyalty.points.v1 import points_pb2

router = APIRouter(prefix="/v1/admin", tags=["admin: points"])

MemberId = Annotated[str, Path(min_length=1, max_length=128)]
_UPSTREAM = (503, 504)
BULK_PATH = "/v1/admin/points/adjustments/bulk"
# Paths whose bodies may be larger than the gateway's limit: files.
LARGE_BODIES = {BULK_PATH: MAX_BYTES}
# A tenant's wallets are read whole; it takes longer than one member's call.
RECONCILE_TIMEOUT_SECONDS = 60.0


def _created_unless(replayed: bool) -> int:
    return 200 if replayed else 201


@router.post(
    "/members/{member_id}/points/adjustments",
    status_code=201,
    response_model=AdjustmentOut,
    summary="Credit or debit a member's points, with a reason",
    description=(
        "A debit never takes `available` below zero (409 `insufficient_points`) unless the "
        "tenant's points settings allow adjustment debt. A merged member's adjustment goes "
        "to the member it was merged into."
    ),
    responses={
        200: {"model": AdjustmentOut, "description": "Seen before: the first answer"},
        **problem_responses(401, 403, 404, 409, 413, 422, *_UPSTREAM),
    },
    openapi_extra=json_body(AdjustmentBody),
)
async def adjust_points(
    request: Request,
    caller: PointsOperator,
    members: MemberClient,
    points: PointsClient,
    member_id: MemberId,
) -> JSONResponse:
    body = parse_body(AdjustmentBody, await read_json(request))
    member = await active_member(members, caller.tenant_id, member_id=member_id)
    rpc = adjust_request(
        body, tenant_id=caller.tenant_id, member_id=member.member_id, actor=actor_of(caller)
    )
    reply = await points.AdjustPoints(rpc)
    answer = adjustment_from_proto(reply).model_dump(mode="json")
    return JSONResponse(answer, status_code=_created_unless(reply.replayed))


@router.post(
    "/points/adjustments/bulk",
    response_model=BulkReportOut,
    summary="Adjust many members' points from a CSV file, row by row",
    description=(
        f"A `text/csv` body: the header `member_id,points,reason`, then at most {MAX_ROWS} "
        "rows. Each row is checked on its own: the good ones apply (once per file id and "
        "row, so sending the file again applies only what did not apply), the others are "
        "reported with their row number and reason. The file id comes from `file_id` or "
        "the `File-Id` header. With `?async=true` (or `Prefer: respond-async`) the file is "
        f"checked, then applied by the gateway in the background, {STEP_ROWS} rows a step: "
        "202 with the operation, whose `done` of `total` counts the rows sent and whose "
        "`result` is this report as it grows (rows a resumed step finds applied count as "
        "`already_applied`)."
    ),
    responses={
        **ACCEPTED_RESPONSE,
        **problem_responses(401, 403, 413, 415, 422, *_UPSTREAM),
    },
    openapi_extra=CSV_BODY,
)
async def bulk_adjust(
    *,
    request: Request,
    caller: PointsOperator,
    members: MemberClient,
    points: PointsClient,
    container: AppContainer,
    file_id: FileIdQuery = None,
    file_id_header: FileIdHeader = None,
    run_async: AsyncQuery = False,
) -> BulkReportOut | JSONResponse:
    require_csv(request)
    raw = await request.body()
    rows, problems = read_rows(raw)
    named = file_id or file_id_header or content_file_id(raw)
    if respond_async(request, run_async):
        doc = operation_doc(
            caller.tenant_id,
            caller.key_id,
            BULK_KIND,
            named,
            len(rows),
            work=bulk_input(named, actor_of(caller), rows),
            result=first_report(named, len(rows) + len(problems), problems),
        )
        return accepted(await OperationStore(container.db[OPERATIONS]).start_background(doc))
    return await adjust_from_file(
        points,
        members,
        tenant_id=caller.tenant_id,
        actor=actor_of(caller),
        file_id=named,
        rows=rows,
        problems=problems,
    )


@router.post(
    "/points/transfers",
    status_code=201,
    response_model=TransferOut,
    summary="Move points from one member to another",
    description=(
        "Both ledgers change in one transaction. The points keep their expiry. Refused with "
        "409 `insufficient_points`, `transfers_disabled` (the tenant's limit is 0) or "
        "`transfer_limit_exceeded` (the sender's transfers today, in the tenant's time "
        "zone, would pass the tenant's `transfer_limit_per_day`)."
    ),
    responses={
        200: {"model": TransferOut, "description": "Seen before: the first answer"},
        **problem_responses(401, 403, 404, 409, 413, 422, *_UPSTREAM),
    },
    openapi_extra=json_body(TransferBody),
)
async def transfer_points(
    request: Request, caller: PointsOperator, members: MemberClient, points: PointsClient
) -> JSONResponse:
    body = parse_body(TransferBody, await read_json(request))
    return await make_transfer(points, members, caller, body, body.from_member_id)


@router.get(
    "/points/settings",
    response_model=PointsSettingsOut,
    summary="The tenant's points settings: earning, expiry, time zone, what it allows",
    responses=problem_responses(401, 403, 404, *_UPSTREAM),
)
async def get_points_settings(caller: PointsOperator, points: PointsClient) -> PointsSettingsOut:
    reply = await points.GetEarningRule(
        points_pb2.GetEarningRuleRequest(tenant_id=caller.tenant_id)
    )
    return settings_from_rule(reply.rule)


@router.put(
    "/points/settings",
    response_model=PointsSettingsOut,
    summary="Replace the tenant's points settings (a new version)",
    description=("New lots take the expiry policy from now on; lots already earned keep theirs."),
    responses=problem_responses(401, 403, 413, 422, *_UPSTREAM),
    openapi_extra=json_body(PointsSettingsBody),
)
async def put_points_settings(
    request: Request, caller: PointsOperator, points: PointsClient
) -> PointsSettingsOut:
    body = parse_body(PointsSettingsBody, await read_json(request))
    check_policy(body)
    rpc = points_pb2.PutEarningRuleRequest(tenant_id=caller.tenant_id, rule=rule_from_body(body))
    reply = await points.PutEarningRule(rpc)
    return settings_from_rule(reply.rule)


@router.post(
    "/points/reconciliation",
    response_model=ReconciliationOut,
    summary="Check every wallet of the tenant against its ledger, holds and lots",
    responses=problem_responses(401, 403, *_UPSTREAM),
)
async def reconcile_points(caller: PointsOperator, points: PointsClient) -> ReconciliationOut:
    reply = await points.ReconcilePoints(
        points_pb2.ReconcilePointsRequest(tenant_id=caller.tenant_id),
        timeout=RECONCILE_TIMEOUT_SECONDS,
    )
    return ReconciliationOut(
        drifting=[
            DriftingMemberOut(member_id=d.member_id, problems=list(d.problems))
            for d in reply.drifting
        ]
    )
