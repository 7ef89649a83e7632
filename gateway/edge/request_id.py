"""Every request carries an id: the caller's when it is sane, otherwise a fresh one.

A pure ASGI middleware (not BaseHTTPMiddleware) so the bound context variables reach the
route, every log line and the gRPC metadata of outbound calls.
"""

from __future__ import annotations

import re
import time

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from libs.logging import bind_request, get_logger

HEADER = "X-Request-ID"
_VALID = re.compile(r"[A-Za-z0-9._-]{1,128}")

log = get_logger(__name__)


def accepted_request_id(value: str | None) -> str | None:
    """The caller's id if it is at most 128 characters of `[A-Za-z0-9._-]`, else None."""
    if value is not None and _VALID.fullmatch(value):
        return value
    return None


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

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
                    status = message["status"]
                    MutableHeaders(scope=message)[HEADER] = request_id
                await send(message)

            try:
                await self.app(scope, receive, send_with_id)
            finally:
                log.info(
                    "request_handled",
                    method=scope["method"],
                    path=scope["path"],
                    status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 1),
                )
