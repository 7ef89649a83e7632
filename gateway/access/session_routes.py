"""`/v1/auth/sessions`: operators sign in to the console, and out again."""

from __future__ import annotations

import time
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from gateway.access.admission import check_not_suspended
from gateway.access.auth import Caller, presented_session
from gateway.clients import AppContainer
from gateway.container import Container
from gateway.edge.audit.trail import (
    SIGN_IN_KEY,
    UNKNOWN_OPERATOR,
    Actor,
    SignInAttempt,
    actor_of,
)
from gateway.edge.client_address import client_address
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.problems import ApiProblem, problem_responses
from gateway.tenancy.operators.cookies import (
    cleared_cookie,
    cookie_token,
    session_cookie,
    wants_secure,
)
from gateway.tenancy.operators.store import Operator
from gateway.tenancy.platform_admins import PLATFORM_TRAIL

router = APIRouter(prefix="/v1/auth/sessions", tags=["operators: sign-in"])
NO_STORE = {"Cache-Control": "no-store"}


class SignInBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "tenant_id": "demo",
                    "email": "admin@demo.example",
                    "password": "correct horse battery staple",
                }
            ]
        },
    )

    tenant_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=256)
    cookie: bool = Field(
        default=False,
        description="Keep the session in an HttpOnly cookie (the console) instead of "
        "answering its token",
    )


class OperatorOut(BaseModel):
    operator_id: str
    tenant_id: str
    email: str
    role: str
    stores: list[str]


class SessionOut(BaseModel):
    """Send `Authorization: Bearer <token>` until `expires_at`; with `cookie` the token is
    in the session cookie only, and this answer has none."""

    token: str | None
    token_type: str = "Bearer"  # noqa: S105 - the scheme, not a secret
    expires_at: datetime
    operator: OperatorOut


BODY_MODELS = (SignInBody,)


@router.post(
    "",
    status_code=201,
    response_model=SessionOut,
    summary="Sign in as an operator: a bearer token for the console, valid for a short while",
    description="403 `tenant_suspended` when the right password is an operator's of a "
    "suspended tenant.",
    responses=problem_responses(401, 403, 413, 422, 429, 503),
    openapi_extra=json_body(SignInBody),
)
async def sign_in(request: Request, container: AppContainer) -> JSONResponse:
    body = parse_body(SignInBody, await read_json(request))
    try:
        await container.sign_in_throttle.take(client_address(request), body.tenant_id, body.email)
        async with container.hash_gate.admitted():
            checked = await container.operators.check_sign_in(
                body.tenant_id, body.email, body.password
            )
    except ApiProblem:  # throttled, or too many hashes at once
        await _note_refused(request, container, body.tenant_id)
        raise
    account, operator = checked.account, checked.operator
    # read for every failed sign-in, the account known or not: the same time either way
    trail = operator.tenant_id if operator else await _trail_of(container, body.tenant_id)
    _note_attempt(request, SignInAttempt(trail, _actor(account)))
    if operator is None:
        raise ApiProblem(401, "invalid_credentials", "unknown operator or wrong password")
    await check_not_suspended(container, operator.tenant_id)  # after the password: no hint
    session = await container.sessions.open(operator)
    answer = SessionOut(
        token=None if body.cookie else session.token,
        expires_at=session.expires_at,
        operator=OperatorOut(
            operator_id=operator.operator_id,
            tenant_id=operator.tenant_id,
            email=operator.email,
            role=operator.role,
            stores=list(operator.stores),
        ),
    )
    headers = dict(NO_STORE)
    if body.cookie:
        lifetime = container.settings.operator_session_minutes * 60
        secure = wants_secure(container.settings.session_cookie_secure, request)
        headers["Set-Cookie"] = session_cookie(session.token, lifetime, secure=secure)
    return JSONResponse(answer.model_dump(mode="json"), status_code=201, headers=headers)


def _actor(account: Operator | None) -> Actor:
    if account is None:
        return UNKNOWN_OPERATOR
    return actor_of(account.operator_id, account.role, account.stores)


def _note_attempt(request: Request, attempt: SignInAttempt) -> None:
    """Tell the audit recorder who tried (it writes the entry with the answer's status)."""
    setattr(request.state, SIGN_IN_KEY, attempt)


async def _trail_of(container: Container, tenant_id: str) -> str:
    """The trail of a sign-in naming nobody's account: its tenant's when the tenant
    exists, else the platform's (a typed tenant id makes no trail of its own)."""
    if await container.tenants.exists(tenant_id) or await container.operators.has_any(tenant_id):
        return tenant_id
    return PLATFORM_TRAIL


async def _note_refused(request: Request, container: Container, tenant_id: str) -> None:
    """A refused sign-in is recorded at the 1st, 10th, 100th... refusal of its tenant in a
    minute, with that count (gateway.tenancy.operators.throttle.RefusalCount)."""
    count = container.sign_in_refusals.recorded(tenant_id, time.monotonic())
    if count is not None:
        trail = await _trail_of(container, tenant_id)
        _note_attempt(request, SignInAttempt(trail, UNKNOWN_OPERATOR, refused_in_window=count))


@router.delete(
    "/current",
    status_code=204,
    summary="Sign out: the token or session cookie in use stops working at once",
    responses=problem_responses(401, 403, 404),
)
async def sign_out(request: Request, caller: Caller, container: AppContainer) -> Response:
    token = presented_session(request)
    if token is None or not await container.sessions.close(token):
        raise ApiProblem(404, "session_not_found", "this credential is not a session")
    response = Response(status_code=204)
    if cookie_token(request) is not None:
        secure = wants_secure(container.settings.session_cookie_secure, request)
        response.headers["Set-Cookie"] = cleared_cookie(secure=secure)
    return response
