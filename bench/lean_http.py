"""A minimal keep-alive HTTP/1.1 client for the load generator.

httpx costs about a millisecond of CPU per request here, more than a bare FastAPI
endpoint does to answer it, so a generator built on it would measure itself. This client
writes requests by hand and parses answers with httptools (the C parser uvicorn uses),
over a pool of asyncio connections; it does only what the benchmark sends: GET and POST
with a JSON body, to one host.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httptools


@dataclass
class Answer:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytearray = field(default_factory=bytearray)
    complete: bool = False

    @property
    def is_success(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        return json.loads(self.body)

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_body(self, body: bytes) -> None:
        self.body += body

    def on_message_complete(self) -> None:
        self.complete = True


# A connection idle longer than this is not reused: uvicorn closes idle keep-alive
# connections after 5 s, and a request written into one that is closing would fail.
IDLE_SECONDS = 3.0


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.last_used = time.monotonic()

    async def exchange(self, request: bytes) -> Answer:
        self.writer.write(request)
        answer = Answer()
        parser = httptools.HttpResponseParser(answer)
        while not answer.complete:
            data = await self.reader.read(65536)
            if not data:
                raise ConnectionError("the server closed the connection")
            parser.feed_data(data)
        answer.status = parser.get_status_code()
        return answer

    def close(self) -> None:
        self.writer.close()


class LeanClient:
    def __init__(
        self, base_url: str, headers: dict[str, str] | None = None, size: int = 256
    ) -> None:
        parts = urlsplit(base_url)
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port or 80
        fixed = {"Host": f"{self._host}:{self._port}", **(headers or {})}
        self._fixed = "".join(f"{k}: {v}\r\n" for k, v in fixed.items())
        self._idle: list[_Connection] = []
        self._slots = asyncio.Semaphore(size)

    def _request(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str] | None = None
    ) -> bytes:
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        head = f"{method} {path} HTTP/1.1\r\n{self._fixed}{extra}"
        if body is None:
            return (head + "\r\n").encode()
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        return head.encode() + body

    async def request(
        self, method: str, path: str, payload: Any = None, headers: dict[str, str] | None = None
    ) -> Answer:
        body = None if payload is None else json.dumps(payload).encode()
        request = self._request(method, path, body, headers)
        async with self._slots:
            connection = self._fresh_idle()
            if connection is None:
                connection = await self._connect()
            try:
                answer = await connection.exchange(request)
            except BaseException:
                connection.close()
                raise
            if answer.headers.get("connection", "").lower() == "close":
                connection.close()
            else:
                connection.last_used = time.monotonic()
                self._idle.append(connection)
            return answer

    def _fresh_idle(self) -> _Connection | None:
        """The most recently used idle connection; staler ones are closed."""
        while self._idle:
            connection = self._idle.pop()
            if time.monotonic() - connection.last_used < IDLE_SECONDS:
                return connection
            connection.close()
        return None

    async def _connect(self) -> _Connection:
        return _Connection(*await asyncio.open_connection(self._host, self._port))

    async def get(self, path: str) -> Answer:
        return await self.request("GET", path)

    async def post(
        self, path: str, payload: Any = None, headers: dict[str, str] | None = None
    ) -> Answer:
        return await self.request("POST", path, payload if payload is not None else {}, headers)

    async def aclose(self) -> None:
        for connection in self._idle:
            connection.close()
        self._idle.clear()
