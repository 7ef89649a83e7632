"""Balance reads answered before FastAPI's router: the gateway's most frequent request
(`GET /v1/members/{member_id}/points`) at a fraction of the route's cost.

A pure ASGI layer, the innermost middleware: the request id, metrics, request log, CORS,
audit and body guard around it see the request as they see any other. It answers only the
common case, with the route's own pieces: the caller found as every route finds it
(`identify`), then in one round trip to Redis (libs/lean_redis.py) the tenant's
suspension flag and the member's balance read model (libs/balance_view.py), then
admission with that flag (`admit`: the permission matrix, a member token's own member,
the rate limit...) and the route's scope check, then the route's answer from the entry.
A refusal is answered by the app's own exception handlers, as the route's would be.

Everything else goes to the route unchanged, which then does all of it again its own way:
another method, a query string, another path, a request FastAPI traces, an entry that is
missing, empty or unreadable, Redis not answering the round trip. It hands over only
before admission, whose rate-limit token must not be taken twice; before that nothing
has changed anything (finding a caller only reads).
"""

from __future__ import annotations

import inspect

from fastapi import FastAPI, Request
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.access.admission import admit
from gateway.access.auth import bearer, identify
from gateway.container import Container
from gateway.edge.metrics.instruments import GatewayMetrics
from gateway.points.access import READ_POINTS
from gateway.points.routes import answer_from_view, get_points, router
from gateway.tenancy.suspension import flag_command
from libs.balance_view import BalanceView, decode, read_command
from libs.lean_redis import LeanRedis

PREFIX, SUFFIX = "/v1/members/", "/points"
MAX_MEMBER_ID = 128  # as the route's path parameter allows
ROUTE = next(r for r in router.routes if isinstance(r, APIRoute) and r.endpoint is get_points)


def balance_read_of(scope: Scope) -> str | None:
    """The member id of a plain balance read, else None (the route takes it)."""
    if scope["type"] != "http" or scope["method"] != "GET" or scope["query_string"]:
        return None
    path = scope["path"]
    if scope.get("root_path") or "fastapi.telemetry" in scope or not path.startswith(PREFIX):
        return None
    member_id = path[len(PREFIX) : -len(SUFFIX)] if path.endswith(SUFFIX) else ""
    if not 0 < len(member_id) <= MAX_MEMBER_ID or "/" in member_id:
        return None
    return member_id


class BalanceReads:
    def __init__(self, app: ASGIApp, metrics: GatewayMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        member_id = balance_read_of(scope)
        container: Container | None = None
        if member_id is not None:
            container = getattr(scope["app"].state, "container", None)
        if member_id is None or container is None or container.lean_redis is None:
            await self.app(scope, receive, send)
            return
        answered = await self._answer(
            Request(scope, receive), send, container, container.lean_redis, member_id
        )
        self.metrics.balance_fast_reads.inc(("answered" if answered else "handed_over",))
        if not answered:
            await self.app(scope, receive, send)

    async def _answer(
        self, request: Request, send: Send, container: Container, redis: LeanRedis, member: str
    ) -> bool:
        """Whether this answered the request (else nothing has changed anything)."""
        try:
            caller = await identify(request, container, await bearer(request))
        except Exception as exc:  # 401 (429 for unknown sessions), as the route answers it
            return await _answer_raised(request, send, member, exc)
        view = await _entry(redis, caller.tenant_id, member)
        if view is None:
            return False
        suspended, balance = view
        try:
            _select_route(request.scope, member)
            await admit(request, container, caller, suspended=suspended)
            READ_POINTS.check(caller)
        except Exception as exc:
            return await _answer_raised(request, send, member, exc)
        await answer_from_view(balance)(request.scope, request.receive, send)
        return True


async def _entry(
    redis: LeanRedis, tenant_id: str, member_id: str
) -> tuple[bool, BalanceView] | None:
    """The suspension flag and the member's entry, when both were read and the entry
    answers the read (not empty)."""
    commands = [flag_command(tenant_id), read_command(tenant_id, member_id)]
    try:
        flag, raw = await redis.pipeline(commands)
        if not isinstance(flag, int) or not isinstance(raw, bytes):
            return None  # a miss, or a reply error such as NOSCRIPT
        view = decode(raw)
    except Exception:  # Redis away or an unreadable entry: the route reads it its way
        return None
    return None if view.empty else (bool(flag), view)


def _select_route(scope: Scope, member_id: str) -> None:
    """What the router would have noted: the route (its template labels metrics and
    admission's checks) and the path's parameter."""
    scope["route"] = ROUTE
    scope["path_params"] = {"member_id": member_id}


async def _answer_raised(request: Request, send: Send, member_id: str, exc: Exception) -> bool:
    """Answer `exc` with the handler the app registered for it, as FastAPI does for a
    route; an exception without one goes on up (the guard's last-resort answer)."""
    app: FastAPI = request.app
    handlers = app.exception_handlers
    handler = next((handlers[c] for c in type(exc).__mro__ if c in handlers), None)
    if handler is None:
        raise exc
    _select_route(request.scope, member_id)
    response = handler(request, exc)
    if inspect.isawaitable(response):
        response = await response
    await response(request.scope, request.receive, send)
    return True
