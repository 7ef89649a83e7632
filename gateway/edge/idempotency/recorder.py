"""Keeps the answer of a request that claimed an Idempotency-Key, and replays it later.

A pure ASGI middleware inside the error guard: it sees the final answer (problem+json
included) and any exception. A claimed request's answer is held until it is stored, so a
client never sees an answer a retry could not get again.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.edge.idempotency.guard import STATE_KEY, IdempotentReplay, PendingAnswer
from gateway.edge.idempotency.store import StoredAnswer

REPLAYED_HEADER = "Idempotency-Replayed"
# The headers that are part of the answer; ids, lengths and CORS are per request.
KEPT_HEADERS = frozenset({"content-type", "location", "cache-control", "retry-after"})


def _pending(scope: Scope) -> PendingAnswer | None:
    pending = scope.get("state", {}).get(STATE_KEY)
    return pending if isinstance(pending, PendingAnswer) else None


def stored_answer(messages: list[Message]) -> StoredAnswer:
    start = messages[0]
    headers = tuple(
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, value in start.get("headers", ())
        if name.decode("latin-1").lower() in KEPT_HEADERS
    )
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return StoredAnswer(status=int(start["status"]), headers=headers, body=body)


class IdempotencyRecorder:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        held: list[Message] = []
        pending: PendingAnswer | None = None

        async def holding_send(message: Message) -> None:
            nonlocal pending
            if message["type"] == "http.response.start":
                pending = _pending(scope)
            if pending is None:
                await send(message)
                return
            held.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                await pending.finish(stored_answer(held))
                for kept in held:
                    await send(kept)

        try:
            await self.app(scope, receive, holding_send)
        finally:
            claimed = _pending(scope)
            if claimed is not None and not claimed.finished:
                await claimed.finish(None)


async def _replay(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, IdempotentReplay)
    answer = exc.answer
    headers = dict(answer.headers)
    headers[REPLAYED_HEADER] = "true"
    return Response(answer.body, status_code=answer.status, headers=headers)


def install_idempotency(app: FastAPI) -> None:
    app.add_exception_handler(IdempotentReplay, _replay)
