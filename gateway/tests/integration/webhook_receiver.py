"""A brand's webhook receiver for the tests: a real uvicorn server on a random loopback
port that verifies each delivery's signature the way docs/webhooks.md shows, dedupes by
`webhook-id`, and answers what the test scripts (fail, hang past the timeout, succeed)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import uvicorn

from gateway.tests.integration.servers import free_port

Answer = Callable[[int], Awaitable[int]]


def documented_verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """docs/webhooks.md's check, written here on its own rather than imported."""
    msg_id, stamp = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(time.time() - int(stamp)) > 5 * 60:
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
    expected = "v1," + base64.b64encode(digest).decode()
    return any(
        hmac.compare_digest(expected, given) for given in headers["webhook-signature"].split()
    )


async def succeed(_: int) -> int:
    return 200


class Receiver:
    def __init__(self, answer: Answer = succeed) -> None:
        self.answer = answer
        self.secret = ""
        self.url = ""
        self.arrivals: list[str] = []  # webhook-id of every request, in order
        self.handled: dict[str, dict[str, Any]] = {}  # deduped by webhook-id: the payload
        self.answered: Counter[int] = Counter()
        self.unsigned = 0
        self.open = 0
        self.most_open = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        self.arrivals.append(headers.get("webhook-id", ""))
        self.open += 1
        self.most_open = max(self.most_open, self.open)
        try:
            status = await self.answer(len(self.arrivals))
        finally:
            self.open -= 1
        if not documented_verify(self.secret, headers, body):
            self.unsigned += 1
            status = 401
        elif status == 200:
            self.handled.setdefault(headers["webhook-id"], json.loads(body))
        self.answered[status] += 1
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    def event_ids(self) -> set[str]:
        return {payload["event_id"] for payload in self.handled.values()}


@asynccontextmanager
async def receiving(receiver: Receiver) -> AsyncIterator[Receiver]:
    port = free_port()
    config = uvicorn.Config(
        receiver,
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.02)
    receiver.url = f"http://127.0.0.1:{port}/hooks"
    try:
        yield receiver
    finally:
        server.should_exit = True
        await asyncio.wait([task], timeout=5)
