"""Guards around every request, in one pure ASGI layer (each layer costs every request a
call and a wrapped `send`, docs/performance.md): a body size limit, a 503 while the
gateway's database is out of reach, and a last-resort 500."""

from __future__ import annotations

from collections.abc import Mapping

from pymongo.errors import ConnectionFailure
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.edge.problems import ApiProblem, problem_response
from libs.logging import get_logger

log = get_logger(__name__)


def _too_large(limit: int) -> str:
    return f"the body may be at most {limit} bytes"


class PayloadTooLarge(HTTPException):
    """Raised while a body streams in; an HTTPException so FastAPI's own body reading lets
    it through rather than answering 400."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large(limit))


class GuardMiddleware:
    """Refuses bodies above `max_bytes` (or the larger limit `by_path` gives a path, such
    as a file upload), by Content-Length or while they stream in; anything no handler
    answered becomes a generic 500 (503 when it is the gateway's database that is out of
    reach), the traceback in the log."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, by_path: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.by_path = dict(by_path or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self._limited(scope, receive, tracking_send)
        except ConnectionFailure as exc:  # the gateway's own database is out of reach
            log.warning("database_unavailable", error=repr(exc))
            if started:
                raise
            unavailable = ApiProblem(
                503,
                "service_unavailable",
                "the gateway's database is unavailable; try again shortly",
                headers={"Retry-After": "1"},
            )
            await problem_response(unavailable)(scope, receive, send)
        except Exception:
            log.exception("request_failed")
            if started:
                raise
            failure = ApiProblem(500, "internal_error", "internal error")
            await problem_response(failure)(scope, receive, send)

    async def _limited(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.by_path.get(scope["path"], self.max_bytes)
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            problem = ApiProblem(413, "payload_too_large", _too_large(limit))
            await problem_response(problem)(scope, receive, send)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise PayloadTooLarge(limit)
            return message

        await self.app(scope, counting_receive, send)
