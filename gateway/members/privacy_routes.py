"""Erasure, the audit trail and the consent history of a member (additions to
docs/api.md); the export is gateway/export's, since every service answers for its part."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from grpc import aio

from gateway.clients import MemberClient
from gateway.edge.params import MEMBER_NOT_FOUND, Cursor, Limit, MemberId
from gateway.edge.problems import problem_responses
from gateway.edge.rpc_errors import problem_from_rpc_error
from gateway.members.access import MemberOperator, actor_of
from gateway.members.answers import MemberOut
from gateway.members.privacy_answers import AuditPageOut, ConsentHistoryOut
from gateway.members.privacy_translate import audit_page_from_proto, consent_change_from_proto
from gateway.members.translate import member_from_proto
from loyalty.member.v1 import member_pb2

router = APIRouter(prefix="/v1/members", tags=["members: privacy"])

_UPSTREAM = (503, 504)


@router.post(
    "/{member_id}/erase",
    response_model=MemberOut,
    summary="Erase a member's personal data (operator keys)",
    description=(
        "Destroys the member's data key and frees their identities, in one transaction: "
        'the member answers `status: "erased"` with no identities, profile or consents, '
        "and no copy of their personal data can be read any more. Points, orders and "
        "aggregates stay. Publishes `member.erased`. Erasing again answers the same."
    ),
    responses=problem_responses(401, 403, 404, *_UPSTREAM),
)
async def erase_member(
    caller: MemberOperator, members: MemberClient, member_id: MemberId
) -> JSONResponse:
    rpc = member_pb2.EraseMemberRequest(
        tenant_id=caller.tenant_id, member_id=member_id, actor=actor_of(caller)
    )
    try:
        reply = await members.EraseMember(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, MEMBER_NOT_FOUND) from None
    return JSONResponse(member_from_proto(reply.member).to_json())


@router.get(
    "/{member_id}/audit",
    response_model=AuditPageOut,
    summary="The audit trail of a member, newest first (operator keys)",
    description="Who changed what and when: field names, never personal values.",
    responses=problem_responses(401, 403, 404, 422, *_UPSTREAM),
)
async def member_audit(
    caller: MemberOperator,
    members: MemberClient,
    member_id: MemberId,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> JSONResponse:
    rpc = member_pb2.ListAuditEntriesRequest(
        tenant_id=caller.tenant_id, member_id=member_id, cursor=cursor or "", limit=limit
    )
    try:
        reply = await members.ListAuditEntries(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, MEMBER_NOT_FOUND) from None
    page = audit_page_from_proto(reply)
    return JSONResponse(page.model_dump(mode="json", exclude_none=True))


@router.get(
    "/{member_id}/consents/history",
    response_model=ConsentHistoryOut,
    summary="Every change of a member's consents, newest first (operator keys)",
    description=(
        "Each change with its purpose, whether it was granted, the channel and source it came "
        "through, when, and who made it (channel, key, store), at most the latest `limit` "
        "(100 by default). The consents as they stand now are on the member. Unlike the "
        "export, a read of this history is not itself audited: it holds no personal value."
    ),
    responses=problem_responses(401, 403, 404, 422, *_UPSTREAM),
)
async def consent_history(
    caller: MemberOperator,
    members: MemberClient,
    member_id: MemberId,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ConsentHistoryOut:
    rpc = member_pb2.ListConsentChangesRequest(
        tenant_id=caller.tenant_id, member_id=member_id, limit=limit
    )
    try:
        reply = await members.ListConsentChanges(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, MEMBER_NOT_FOUND) from None
    return ConsentHistoryOut(changes=[consent_change_from_proto(c) for c in reply.changes])
