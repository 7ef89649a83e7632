"""Who is calling (401) and whether they may do this (403)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from gateway.access.admission import admit
from gateway.access.approvals.hold import approved_caller
from gateway.container import Container, get_container
from gateway.edge.client_address import client_address
from gateway.edge.problems import ApiProblem
from gateway.tenancy.keys import ApiKey, Channel
from gateway.tenancy.member_cookies import presented_cookie
from gateway.tenancy.member_sessions import is_member_token
from gateway.tenancy.operators.cookies import check_same_origin, cookie_token
from gateway.tenancy.operators.sessions import is_session_token

_bearer = HTTPBearer(
    auto_error=False,
    description="An API key (`Bearer lk_<channel>_...`), an operator's session (`lo_...`) or "
    "a member token (`lm_...`)",
)
_CHALLENGE = {"WWW-Authenticate": "Bearer"}
MAX_SECRET_LENGTH = 256


def unauthorized(detail: str) -> ApiProblem:
    return ApiProblem(401, "unauthorized", detail, headers=_CHALLENGE)


async def authenticate(
    request: Request,
    container: Annotated[Container, Depends(get_container)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiKey:
    key = await identify(request, container, credentials)
    await admit(request, container, key)
    return key


async def identify(
    request: Request, container: Container, credentials: HTTPAuthorizationCredentials | None
) -> ApiKey:
    """Who is calling (401 when nobody known), before admission: an approved request's
    maker, else the bearer token's or the session cookie's credential."""
    approved = approved_caller(request)
    if approved is not None:  # an approved request, run in process as its maker
        return approved
    secret = credentials.credentials if credentials is not None else None
    by_cookie = not secret and presented_cookie(request) is not None
    if by_cookie:
        secret = presented_cookie(request)
    if not secret:
        raise unauthorized("an API key is required: Authorization: Bearer <key>")
    key = None
    if len(secret) <= MAX_SECRET_LENGTH:
        if is_session_token(secret):
            key = await container.session_lookups.find(client_address(request), secret)
        elif is_member_token(secret):
            key = await container.member_sessions.find(secret)
        elif not by_cookie:  # a cookie only ever carries a session
            key = await container.keys.find_by_secret(secret)
    if key is None:
        raise unauthorized("the API key is unknown or revoked")
    if by_cookie:
        check_same_origin(request)
    return key


async def bearer(request: Request) -> HTTPAuthorizationCredentials | None:
    """The request's `Authorization: Bearer` credentials, read as every route reads them."""
    return await _bearer(request)


def presented_session(request: Request) -> str | None:
    """The session token the request authenticated with: its bearer token or its cookie."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip() if is_session_token(token.strip()) else None
    return cookie_token(request)


Caller = Annotated[ApiKey, Depends(authenticate)]


Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


class RequireScope:
    """A dependency: the authenticated caller, if its key carries `scope` (else 403).
    It authenticates itself rather than depending on `Caller`: each level of dependencies
    costs FastAPI some tens of microseconds a request (docs/performance.md)."""

    def __init__(self, scope: str) -> None:
        self.scope = scope

    async def __call__(self, request: Request, credentials: Bearer) -> ApiKey:
        return self.check(await authenticate(request, await get_container(request), credentials))

    def check(self, caller: ApiKey) -> ApiKey:
        """The caller, if its key carries the scope (else 403)."""
        if not caller.allows(self.scope):
            raise ApiProblem(403, "forbidden", f"this API key may not use {self.scope}")
        return caller


MembersReader = Annotated[ApiKey, Depends(RequireScope("members:read"))]
MembersWriter = Annotated[ApiKey, Depends(RequireScope("members:write"))]


class RequireChannels:
    """A dependency: the authenticated caller, if its key is of one of `channels` (else 403);
    with `members`, also a member token (kept to its own member by admission). It
    authenticates itself, like `RequireScope`."""

    def __init__(self, *channels: Channel, members: bool = False) -> None:
        self.channels = channels
        self.members = members

    async def __call__(self, request: Request, credentials: Bearer) -> ApiKey:
        caller = await authenticate(request, await get_container(request), credentials)
        if caller.member_id is not None:
            if not self.members:
                raise ApiProblem(403, "forbidden", "a member token may not do this")
            return caller
        if caller.channel not in self.channels:
            allowed = " or ".join(f"{c} keys" for c in self.channels)
            raise ApiProblem(403, "forbidden", f"only {allowed} may do this")
        return caller


# A caller holding an operator key or an operator's session (403 for touchpoints' keys).
OperatorKey = Annotated[ApiKey, Depends(RequireChannels("operator"))]
