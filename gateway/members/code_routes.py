"""`GET /v1/members/{id}/code`: the short-lived code a member's app shows the till."""

from __future__ import annotations

from typing import Annotated, Literal

import segno
from fastapi import APIRouter, Query
from grpc import aio
from pydantic import BaseModel, Field

from gateway.clients import MemberClient
from gateway.edge.fields import Timestamp
from gateway.edge.params import MEMBER_NOT_FOUND, MemberId
from gateway.edge.problems import problem_responses
from gateway.edge.rpc_errors import problem_from_rpc_error
from gateway.members.access import MemberApp
from libs.timestamps import aware
from loyalty.member.v1 import member_pb2

router = APIRouter(prefix="/v1/members", tags=["members"])


class MemberCodeOut(BaseModel):
    """A URL-safe code to show as a QR code; the till resolves it with
    `GET /v1/members/lookup?type=code&value=<code>` until `expires_at` (60 seconds)."""

    code: str
    expires_at: Timestamp
    qr_svg: str | None = Field(
        default=None,
        description="With `?qr=svg`: the code as a QR code, an SVG image as a `data:` URL "
        "(for an `<img>`), drawn on the server",
    )


def qr_svg(code: str) -> str:
    """The code as a QR code (error correction M, a quiet zone of 4 modules), SVG data URL."""
    return str(segno.make(code, error="m").svg_data_uri(scale=4, border=4, light="#fff"))


@router.get(
    "/{member_id}/code",
    response_model=MemberCodeOut,
    response_model_exclude_none=True,
    summary="A signed member code for the till (app and mini-program keys)",
    description=(
        "The code names the tenant, the member and its expiry, signed with a key only the "
        "member service holds: it cannot be forged, and it does not resolve in another "
        "tenant. An expired, forged or foreign code looks up as 404 `member_not_found` "
        "(ask the app for a new one). 409 `member_not_active` for a merged or erased member. "
        "With `?qr=svg` the answer also carries the code drawn as a QR code (`qr_svg`), so a "
        "page needs no QR library."
    ),
    responses=problem_responses(401, 403, 404, 409, 503, 504),
)
async def member_code(
    caller: MemberApp,
    members: MemberClient,
    member_id: MemberId,
    qr: Annotated[Literal["svg"] | None, Query(description="`svg`: add the QR code")] = None,
) -> MemberCodeOut:
    rpc = member_pb2.IssueMemberCodeRequest(tenant_id=caller.tenant_id, member_id=member_id)
    try:
        reply = await members.IssueMemberCode(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, MEMBER_NOT_FOUND) from None
    drawn = qr_svg(reply.code) if qr == "svg" else None
    return MemberCodeOut(code=reply.code, expires_at=aware(reply.expires_at), qr_svg=drawn)
