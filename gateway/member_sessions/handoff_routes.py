"""The member centre's way in from the brand's app: a one-time hand-off code, traded for the
member session in an HttpOnly cookie, and who the session in use is.

`POST /v1/members/{member_id}/session-handoffs`: the app's backend, with its channel key,
asks for a code and opens `/m?handoff=<code>` in its web view.
`POST /v1/member-sessions/handoff`: the member centre's page trades the code for the
session cookie. `GET /v1/member-sessions/current`: the member the session acts for.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from gateway.access.auth import Caller, MembersWriter, unauthorized
from gateway.clients import AppContainer, MemberClient
from gateway.container import Container
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.params import MemberId
from gateway.edge.problems import ApiProblem, problem_responses
from gateway.member_sessions.answers import (
    CurrentMemberSessionOut,
    HandoffOut,
    MemberSessionOut,
)
from gateway.member_sessions.bodies import HandoffBody
from gateway.member_sessions.routes import NO_STORE, presented_member_token
from gateway.shared.members import member_in_tenant
from gateway.tenancy.member_cookies import member_cookie
from gateway.tenancy.member_handoffs import Handoff, HandoffCodes
from gateway.tenancy.member_sessions import MemberSession
from gateway.tenancy.operators.cookies import check_same_origin, wants_secure

router = APIRouter(tags=["member sessions"])
CENTRE_PATH = "/m"


def cookie_answer(
    request: Request,
    container: Container,
    session: MemberSession,
    lifetime: timedelta,
    **extra: object,
) -> JSONResponse:
    """The session's answer without its token, which goes into the member centre's cookie."""
    body = MemberSessionOut(
        token=None, member_id=session.member_id, expires_at=session.expires_at
    ).model_dump(mode="json")
    secure = wants_secure(container.settings.session_cookie_secure, request)
    cookie = member_cookie(session.token, int(lifetime.total_seconds()), secure=secure)
    return JSONResponse(
        {**body, **extra}, status_code=201, headers={**NO_STORE, "Set-Cookie": cookie}
    )


@router.post(
    "/v1/members/{member_id}/session-handoffs",
    status_code=201,
    response_model=HandoffOut,
    summary="A one-time code that opens the member centre signed in as this member",
    description=(
        "For the backends of the app, the mini-program and the web shop, with their channel "
        "key, like `POST /v1/members/{member_id}/sessions`. Instead of a token the answer is "
        "a code that signs the member in to the member centre once: open `url` in the web "
        "view straight away; the page trades the code for the member session in an HttpOnly "
        "cookie (`POST /v1/member-sessions/handoff`), so no lasting secret is ever in a URL. "
        "The code lasts the tenant's `member_sessions.handoff_seconds` (a minute by default) "
        "and works once. 404 `member_not_found`; 409 `member_not_active` for a merged or "
        "erased member. An `Idempotency-Key` is accepted and ignored: a code is never stored "
        "to be answered again."
    ),
    responses=problem_responses(401, 403, 404, 409, 429, 503, 504),
)
async def open_handoff(
    caller: MembersWriter, container: AppContainer, members: MemberClient, member_id: MemberId
) -> JSONResponse:
    member = await member_in_tenant(members, caller.tenant_id, member_id)
    if member.status != "active":
        raise ApiProblem(409, "member_not_active", f"the member is {member.status}")
    policy = await container.policies.policy(caller.tenant_id)
    seconds = policy.member_sessions.handoff_seconds
    handoff = Handoff(caller.tenant_id, member.member_id, caller.channel)
    code = await HandoffCodes(container.redis).issue(handoff, lifetime_seconds=seconds)
    answer = HandoffOut(
        code=code,
        member_id=member.member_id,
        expires_at=datetime.now(UTC) + timedelta(seconds=seconds),
        url=f"{CENTRE_PATH}?handoff={code}",
    )
    return JSONResponse(answer.model_dump(mode="json"), status_code=201, headers=NO_STORE)


@router.post(
    "/v1/member-sessions/handoff",
    status_code=201,
    response_model=MemberSessionOut,
    summary="Trade a hand-off code for the member centre's session cookie",
    description=(
        "No key: the member centre's page sends the code its address carried. The answer "
        "sets the member session in the `loyalty_member` cookie (HttpOnly, SameSite=Strict, "
        "Secure over https) and carries no token (`token: null`); the page's calls then "
        "send the cookie with `X-Session-Cookie: member`. Only from the gateway's own "
        "origin (403 otherwise). 401 `invalid_handoff` for an unknown, used or expired code; "
        "409 `member_not_active` when the member was merged or erased meanwhile."
    ),
    responses=problem_responses(401, 403, 409, 413, 422, 503, 504),
    openapi_extra=json_body(HandoffBody),
)
async def take_handoff(
    request: Request, container: AppContainer, members: MemberClient
) -> JSONResponse:
    body = parse_body(HandoffBody, await read_json(request))
    check_same_origin(request)  # a cookie is only ever set for the gateway's own pages
    handoff = await HandoffCodes(container.redis).take(body.code)
    if handoff is None:
        raise ApiProblem(401, "invalid_handoff", "the hand-off code is unknown, used or expired")
    member = await member_in_tenant(members, handoff.tenant_id, handoff.member_id)
    if member.status != "active":
        raise ApiProblem(409, "member_not_active", f"the member is {member.status}")
    policy = await container.policies.policy(handoff.tenant_id)
    lifetime = timedelta(seconds=policy.member_sessions.token_seconds)
    session = await container.member_sessions.open(
        handoff.tenant_id, handoff.member_id, handoff.channel, lifetime=lifetime
    )
    return cookie_answer(request, container, session, lifetime)


@router.get(
    "/v1/member-sessions/current",
    response_model=CurrentMemberSessionOut,
    summary="The member the session in use acts for",
    description=(
        "With a member token, or the member centre's cookie: the member, tenant and channel "
        "the session acts for and when it ends. 401 once it has ended."
    ),
    responses=problem_responses(401, 403),
)
async def current_member_session(
    request: Request, caller: Caller, container: AppContainer
) -> CurrentMemberSessionOut:
    token = presented_member_token(request)
    expires_at = await container.member_sessions.expiry(token) if token else None
    if expires_at is None or caller.member_id is None:
        raise unauthorized("no member session")
    return CurrentMemberSessionOut(
        member_id=caller.member_id,
        tenant_id=caller.tenant_id,
        channel=caller.channel,
        expires_at=expires_at,
    )
