"""A brand's webhook receiver for the tests: a real uvicorn server on a random loopback
port that verifies each delivery's signature the way docs/webhooks.md shows, dedupes by
`webhook-id`, and answers what the test scripts (fail, hang past the timeout, succeed)."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import uvicorn

from libs.stack.servers import free_port

Answer = Callable[[int], Awaitable[int]]


DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def _documented_verifier() -> Callable[[str, dict[str, str], bytes], bool]:
    """The `verify` of docs/webhooks.md's Python snippet, run as the page shows it, so the
    page's code is what checks every delivery here."""
    page = DOCS.read_text(encoding="utf-8")
    snippet = page.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(compile(snippet, str(DOCS), "exec"), namespace)  # noqa: S102 - our own docs
    verify: Callable[[str, dict[str, str], bytes], bool] = namespace["verify"]
    return verify


documented_verify = _documented_verifier()


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
