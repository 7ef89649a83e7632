"""Every request carries an id: the caller's when it is sane, otherwise a fresh one; and
every request is counted and timed by its route template (`/v1/members/{member_id}`,
never the raw path, so the number of series stays bounded).

One pure ASGI middleware (not BaseHTTPMiddleware) for both, so the bound context
variables reach the route, every log line and the gRPC metadata of outbound calls; one
layer rather than two, as each layer costs every request a call and a wrapped `send`
(docs/performance.md).
"""

from __future__ import annotations

import re
import time

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.edge.metrics.instruments import UNMATCHED_ROUTE, GatewayMetrics
from gateway.edge.routing import route_template
from libs.logging import bind_request, get_logger

HEADER = "X-Request-ID"
_VALID = re.compile(r"[A-Za-z0-9._-]{1,128}")

log = get_logger(__name__)


def accepted_request_id(value: str | None) -> str | None:
    """The caller's id if it is at most 128 characters of `[A-Za-z0-9._-]`, else None."""
    if value is not None and _VALID.fullmatch(value):
        return value
    return None


class RequestMiddleware:
    def __init__(self, app: ASGIApp, metrics: GatewayMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = accepted_request_id(Headers(scope=scope).get(HEADER))
        started = time.perf_counter()
        status = 500

        with bind_request(incoming) as request_id:
            scope.setdefault("state", {})["request_id"] = request_id

            async def send_with_id(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = int(message["status"])
                    MutableHeaders(scope=message)[HEADER] = request_id
                await send(message)

            self.metrics.http_in_flight.inc()
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                self.metrics.http_in_flight.dec()
                elapsed = time.perf_counter() - started
                route = route_template(scope) or UNMATCHED_ROUTE
                self.metrics.observe_http(scope["method"], route, status, elapsed)
                log.info(
                    "request_handled",
                    method=scope["method"],
                    path=scope["path"],
                    status=status,
                    duration_ms=round(elapsed * 1000, 1),
                )
