"""Member sessions opened by a brand's backend, and ended by the member.

`POST /v1/members/{member_id}/sessions`: the app's (mini-program's, web shop's) backend,
with its channel key, opens a session for a member it has signed in its own way; the
short-lived token goes to the phone or browser instead of the key.
`DELETE /v1/member-sessions/current`: the member token in use stops working.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from gateway.access.auth import Caller, MembersWriter
from gateway.clients import AppContainer, MemberClient
from gateway.edge.params import MemberId
from gateway.edge.problems import ApiProblem, problem_responses
from gateway.member_sessions.answers import MemberSessionOut
from gateway.shared.members import member_in_tenant
from gateway.tenancy.member_cookies import (
    cleared_member_cookie,
    member_cookie_token,
    presented_cookie,
)
from gateway.tenancy.member_sessions import MemberSession, is_member_token
from gateway.tenancy.operators.cookies import wants_secure

router = APIRouter(tags=["member sessions"])
NO_STORE = {"Cache-Control": "no-store"}


def presented_member_token(request: Request) -> str | None:
    """The member token the request authenticated with: its bearer token or the member
    centre's cookie (the one `authenticate` took)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip() if is_member_token(token.strip()) else None
    cookie = presented_cookie(request)
    return cookie if cookie and is_member_token(cookie) else None


def session_answer(session: MemberSession, *, status: int = 201, **extra: object) -> JSONResponse:
    body = MemberSessionOut(
        token=session.token, member_id=session.member_id, expires_at=session.expires_at
    ).model_dump(mode="json")
    return JSONResponse({**body, **extra}, status_code=status, headers=NO_STORE)


@router.post(
    "/v1/members/{member_id}/sessions",
    status_code=201,
    response_model=MemberSessionOut,
    summary="Open a member session: a short-lived token acting for this member only",
    description=(
        "For the backends of the app, the mini-program and the web shop, with their channel "
        "key (a server-side secret that never reaches a phone or a browser). The token acts "
        "for this member only, until `expires_at` (the tenant's `member_sessions."
        "token_seconds`, an hour by default): hand it to the member's app or web view, which "
        "sends `Authorization: Bearer <token>`. 404 `member_not_found` for a member the "
        "tenant does not have; 409 `member_not_active` for a merged or erased one (open the "
        "session for the member it was merged into). An `Idempotency-Key` is accepted and "
        "ignored: a token is never stored to be answered again."
    ),
    responses=problem_responses(401, 403, 404, 409, 429, 503, 504),
)
async def open_member_session(
    caller: MembersWriter, container: AppContainer, members: MemberClient, member_id: MemberId
) -> JSONResponse:
    member = await member_in_tenant(members, caller.tenant_id, member_id)
    if member.status != "active":
        raise ApiProblem(409, "member_not_active", f"the member is {member.status}")
    policy = await container.policies.policy(caller.tenant_id)
    lifetime = timedelta(seconds=policy.member_sessions.token_seconds)
    session = await container.member_sessions.open(
        caller.tenant_id, member.member_id, caller.channel, lifetime=lifetime
    )
    return session_answer(session)


@router.delete(
    "/v1/member-sessions/current",
    status_code=204,
    summary="End the member session in use: its token answers 401 from now on",
    description=(
        "With a member token, or the member centre's cookie (which the answer also clears; "
        "from the gateway's own origin only, like every change made by cookie)."
    ),
    responses=problem_responses(401, 403),
)
async def end_member_session(request: Request, caller: Caller, container: AppContainer) -> Response:
    token = presented_member_token(request)
    if token is not None:
        await container.member_sessions.close(token)
    response = Response(status_code=204)
    if member_cookie_token(request) is not None:
        secure = wants_secure(container.settings.session_cookie_secure, request)
        response.headers["Set-Cookie"] = cleared_member_cookie(secure=secure)
    return response
