"""CORS for the app's and the mini-program's web views, with origins allowed per tenant.

A preflight carries no key, so it is answered for an origin that some tenant allows; the
actual answer carries CORS headers only when the caller's own tenant allows the origin
(for an answer without a caller, e.g. a 401, when some tenant does). An origin nobody
allows gets no CORS headers at all, and its preflight a 403. Browsers then refuse to
let the page read the answer; CORS is not an access control for a bearer-key API (a key
is), it keeps other sites' pages from using a visitor's browser against the API.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.edge.problems import ApiProblem, problem_response
from gateway.tenancy.policies import TenantPolicies

ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE"
ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key, X-Request-ID"
EXPOSE_HEADERS = "X-Request-ID, Retry-After, Idempotency-Replayed, Location"
MAX_AGE_SECONDS = "600"


def _policies(scope: Scope) -> TenantPolicies | None:
    container = getattr(scope["app"].state, "container", None)
    return getattr(container, "policies", None)


async def _allowed(scope: Scope, policies: TenantPolicies, origin: str) -> bool:
    caller = scope.get("state", {}).get("caller")
    if caller is None:
        return await policies.any_tenant_allows(origin)
    return origin in (await policies.policy(caller.tenant_id)).cors_origins


class CorsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope) if scope["type"] == "http" else None
        origin = headers.get("origin") if headers is not None else None
        policies = _policies(scope) if origin is not None else None
        if headers is None or origin is None or policies is None:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(scope, receive, send, policies, origin)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer = MutableHeaders(scope=message)
                answer.add_vary_header("Origin")
                if await _allowed(scope, policies, origin):
                    answer["Access-Control-Allow-Origin"] = origin
                    answer["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_cors)

    @staticmethod
    async def _preflight(
        scope: Scope, receive: Receive, send: Send, policies: TenantPolicies, origin: str
    ) -> None:
        response: Response
        if await policies.any_tenant_allows(origin):
            response = Response(
                status_code=204,
                headers={
                    "Access-Control-Allow-Origin": origin,
                    "Access-Control-Allow-Methods": ALLOW_METHODS,
                    "Access-Control-Allow-Headers": ALLOW_HEADERS,
                    "Access-Control-Max-Age": MAX_AGE_SECONDS,
                    "Vary": "Origin",
                },
            )
        else:
            refused = ApiProblem(403, "origin_not_allowed", f"no tenant allows the origin {origin}")
            response = problem_response(refused)
        await response(scope, receive, send)
