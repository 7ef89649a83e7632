"""Keeps the answer of a request that claimed an Idempotency-Key, and replays it later.

A pure ASGI middleware inside the error guard: it sees the final answer (problem+json
included) and any exception. A claimed request's answer is held until it is stored, so a
client never sees an answer a retry could not get again.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response
from grpc import aio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.edge.idempotency.guard import (
    STATE_KEY,
    IdempotentReplay,
    PendingAnswer,
    personal_answers,
)
from gateway.edge.idempotency.personal import answer_body, with_echoes
from gateway.edge.idempotency.store import StoredAnswer
from gateway.edge.problems import problem_response
from gateway.edge.routing import route_template
from gateway.edge.rpc_errors import problem_from_rpc_error

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


async def _whole_body(request: Request, answer: StoredAnswer) -> bytes:
    """The stored body with what it left out put back: echoes from the replayed request
    (the same body as the first), personal fields read again from their owner."""
    omitted = answer.omitted
    if not (omitted.echoed or omitted.personal):
        return answer.body
    document = with_echoes(answer.body, await request.body(), omitted.echoed)
    route = (request.method, route_template(request.scope) or request.url.path)
    shape = personal_answers(request).get(route)
    if omitted.personal and shape is not None:
        document = await shape.reread(request, document)
    return answer_body(document)


async def _replay(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IdempotentReplay)
    answer = exc.answer
    try:
        body = await _whole_body(request, answer)
    except aio.AioRpcError as err:
        return problem_response(problem_from_rpc_error(err))
    headers = dict(answer.headers)
    headers[REPLAYED_HEADER] = "true"
    return Response(body, status_code=answer.status, headers=headers)


def install_idempotency(app: FastAPI) -> None:
    app.add_exception_handler(IdempotentReplay, _replay)
