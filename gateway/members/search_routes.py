"""`GET /v1/admin/members`: back-office search (operator keys).

Roles that measure rather than serve members (marketer, analyst) see them without personal
data: no identities, no profile but the preferred store, and no search by identity.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel

from gateway.access.permissions import principal_of
from gateway.clients import MemberClient
from gateway.edge.fields import ConsentPurpose, IdentityType
from gateway.edge.params import Cursor, Limit
from gateway.edge.problems import ApiProblem, problem_responses, validation_problem
from gateway.members.access import MemberOperator
from gateway.members.answers import MemberOut, ProfileOut
from gateway.members.translate import member_from_proto
from gateway.tenancy.keys import Channel
from libs.timestamps import optional_timestamp
from loyalty.member.v1 import member_pb2

router = APIRouter(prefix="/v1/admin", tags=["admin: members"])

Text = Annotated[str | None, Query(min_length=1, max_length=128)]
WITHOUT_PERSONAL_DATA = frozenset({"marketer", "analyst"})


class MemberPageOut(BaseModel):
    """Newest enrolment first; pass `next_cursor` as `cursor` for the next page (absent on
    the last page)."""

    members: list[MemberOut]
    next_cursor: str | None = None


def without_personal_data(member: MemberOut) -> MemberOut:
    profile = ProfileOut(preferred_store_id=member.profile.preferred_store_id)
    return member.model_copy(update={"identities": [], "profile": profile})


@router.get(
    "/members",
    response_model=MemberPageOut,
    summary="Find members: by member id, by exact identity, or by filters",
    description=(
        "With `member_id` or `identity_type` + `identity_value` the answer is that member "
        "or none, and the filters are ignored. Otherwise every filter given must match: "
        "`tier` (code), `channel` (of enrolment), `enrolled_from` (inclusive) and "
        "`enrolled_to` (exclusive, timestamps with offset), `preferred_store`, `status`, and "
        "`consented_to` (a purpose the member currently consents to, for campaigns that "
        "contact or profile members). A marketer or analyst gets members without personal "
        "data (no identities; of the profile only the preferred store) and may not search "
        "by identity (403)."
    ),
    responses=problem_responses(401, 403, 422, 503, 504),
)
async def search_members(
    caller: MemberOperator,
    members: MemberClient,
    *,
    member_id: Text = None,
    identity_type: Annotated[IdentityType | None, Query()] = None,
    identity_value: Annotated[str | None, Query(min_length=1, max_length=256)] = None,
    tier: Text = None,
    channel: Annotated[Channel | None, Query()] = None,
    enrolled_from: Annotated[AwareDatetime | None, Query()] = None,
    enrolled_to: Annotated[AwareDatetime | None, Query()] = None,
    preferred_store: Text = None,
    status: Annotated[Literal["active", "merged", "erased"] | None, Query()] = None,
    consented_to: Annotated[ConsentPurpose | None, Query()] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> JSONResponse:
    if (identity_type is None) != (identity_value is None):
        missing = "identity_value" if identity_value is None else "identity_type"
        raise validation_problem(
            [{"loc": ("query", missing), "msg": "identity_type and identity_value go together"}]
        )
    anonymous = principal_of(caller) in WITHOUT_PERSONAL_DATA
    if anonymous and identity_type is not None:
        raise ApiProblem(403, "forbidden", "this role sees members without personal data")
    rpc = member_pb2.SearchMembersRequest(
        tenant_id=caller.tenant_id,
        member_id=member_id or "",
        tier=tier or "",
        enrolled_channel=channel or "",
        enrolled_from=optional_timestamp(enrolled_from),
        enrolled_to=optional_timestamp(enrolled_to),
        preferred_store_id=preferred_store or "",
        status=status or "",
        consented_to=consented_to or "",
        cursor=cursor or "",
        limit=limit,
    )
    if identity_type is not None and identity_value is not None:
        rpc.identity.CopyFrom(member_pb2.Identity(type=identity_type, value=identity_value))
    reply = await members.SearchMembers(rpc)
    found = [member_from_proto(m) for m in reply.members]
    if anonymous:
        found = [without_personal_data(m) for m in found]
    body: dict[str, object] = {"members": [m.to_json() for m in found]}
    if reply.next_cursor:
        body["next_cursor"] = reply.next_cursor
    return JSONResponse(body)
