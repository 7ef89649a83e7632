"""A shopper signs in with a one-time code sent to their phone (the member centre on the web).

`POST /v1/member-sessions/otp` sends a code through the tenant's sender;
`POST /v1/member-sessions` trades it for a member token, enrolling the shopper if new.
Neither takes a key: the body names the tenant. See docs/security.md for the limits.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from gateway.access.admission import check_not_suspended
from gateway.clients import AppContainer, MemberClient
from gateway.container import Container
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.problems import ApiProblem, problem_responses
from gateway.member_sessions.answers import CodeRequestedOut, SignedInOut
from gateway.member_sessions.bodies import RequestCodeBody, SignInBody
from gateway.member_sessions.codes import (
    CODES_PER_IDENTITY,
    REQUESTS_PER_ADDRESS,
    TRIES_PER_IDENTITY,
    SignInCodes,
    identity_key,
    limit,
)
from gateway.member_sessions.handoff_routes import cookie_answer
from gateway.member_sessions.routes import NO_STORE, session_answer
from gateway.member_sessions.senders import CodeSender, DevelopmentSender, NoSender
from gateway.tenancy.keys import Channel
from gateway.tenancy.operators.cookies import check_same_origin
from loyalty.member.v1 import member_pb2

router = APIRouter(prefix="/v1/member-sessions", tags=["member sessions"])
SIGN_IN_CHANNEL: Channel = "ecommerce"  # the member centre on the web


def code_sender(container: Container) -> CodeSender:
    if container.settings.member_code_sender == "development":
        return DevelopmentSender(container.redis)
    return NoSender()


async def _limit_address(container: Container, request: Request, tenant_id: str) -> None:
    tenant = (await container.policies.policy(tenant_id)).rate_limits.per_tenant
    address = request.client.host if request.client else "unknown"
    await limit(
        container.limiter, tenant, tenant_id, f"code-address:{address}", REQUESTS_PER_ADDRESS
    )


@router.post(
    "/otp",
    status_code=202,
    response_model=CodeRequestedOut,
    summary="Send a one-time sign-in code to a member's phone",
    description=(
        "No key: the body names the tenant. A six-digit code goes to the phone through the "
        "tenant's sender and replaces any earlier one; it lasts the tenant's "
        "`member_sessions.code_seconds` (five minutes by default) and signs in once. The "
        "answer is the same whether the phone belongs to a member or not. 429 with "
        "`Retry-After` past three codes for one phone (then one a minute) or twenty requests "
        "from one address (then one every six seconds); 503 `code_sender_unavailable` where "
        "the platform has no sender; 403 `tenant_suspended` for a suspended tenant."
    ),
    responses=problem_responses(403, 413, 422, 429, 503),
    openapi_extra=json_body(RequestCodeBody),
)
async def request_code(request: Request, container: AppContainer) -> JSONResponse:
    body = parse_body(RequestCodeBody, await read_json(request))
    tenant_id = body.tenant_id
    await check_not_suspended(container, tenant_id)
    await _limit_address(container, request, tenant_id)
    policy = await container.policies.policy(tenant_id)
    who = identity_key(body.identity.type, body.identity.value)
    tenant_bucket = policy.rate_limits.per_tenant
    await limit(container.limiter, tenant_bucket, tenant_id, f"code-send:{who}", CODES_PER_IDENTITY)
    seconds = policy.member_sessions.code_seconds
    if await container.tenants.exists(tenant_id):
        code = await SignInCodes(container.redis).issue(tenant_id, who, lifetime_seconds=seconds)
        minutes = max(1, seconds // 60)
        text = f"{code} is your sign-in code. It expires in {minutes} min; never share it."
        await code_sender(container).send(tenant_id, body.identity.value, text)
    answer = CodeRequestedOut(expires_in_seconds=seconds)
    return JSONResponse(answer.model_dump(mode="json"), status_code=202, headers=NO_STORE)


@router.post(
    "",
    status_code=201,
    response_model=SignedInOut,
    summary="Sign a member in with their one-time code: a member token",
    description=(
        "No key: the body names the tenant. With the code sent to the phone (the same phone "
        "value as when asking for it), answers a member token like `POST /v1/members/"
        "{member_id}/sessions`; a shopper nobody holds the phone of is enrolled now, with "
        "the `consents` given (`created: true`). With `cookie: true` (the member centre, "
        "from the gateway's own origin only, else 403) the token goes into the HttpOnly "
        "`loyalty_member` cookie instead and the answer's `token` is null. "
        "401 `invalid_code` for a wrong, used or "
        "expired code; 429 with `Retry-After` past five tries for one phone (then one a "
        "minute) or twenty requests from one address; 403 `tenant_suspended` for a "
        "suspended tenant."
    ),
    responses={
        **problem_responses(401, 403, 409, 413, 422, 429, 503, 504),
    },
    openapi_extra=json_body(SignInBody),
)
async def sign_in(request: Request, container: AppContainer, members: MemberClient) -> JSONResponse:
    body = parse_body(SignInBody, await read_json(request))
    if body.cookie:
        check_same_origin(request)
    tenant_id = body.tenant_id
    await check_not_suspended(container, tenant_id)
    await _limit_address(container, request, tenant_id)
    policy = await container.policies.policy(tenant_id)
    who = identity_key(body.identity.type, body.identity.value)
    tenant_bucket = policy.rate_limits.per_tenant
    await limit(container.limiter, tenant_bucket, tenant_id, f"code-try:{who}", TRIES_PER_IDENTITY)
    if not await SignInCodes(container.redis).take(tenant_id, who, body.code):
        raise ApiProblem(401, "invalid_code", "the code is wrong, used or expired")
    rpc = member_pb2.EnrollMemberRequest(
        tenant_id=tenant_id,
        channel=SIGN_IN_CHANNEL,
        identities=[member_pb2.Identity(type=body.identity.type, value=body.identity.value)],
        consents={str(purpose): granted for purpose, granted in body.consents.items()},
    )
    reply = await members.EnrollMember(rpc)
    lifetime = timedelta(seconds=policy.member_sessions.token_seconds)
    session = await container.member_sessions.open(
        tenant_id, reply.member.member_id, SIGN_IN_CHANNEL, lifetime=lifetime
    )
    if body.cookie:
        return cookie_answer(request, container, session, lifetime, created=reply.created)
    return session_answer(session, created=reply.created)
