"""A lean Redis client for a hot read: a few commands pipelined in one write over one
connection of its own, their RESP2 replies parsed in a few lines, no retries.

redis-py's asyncio client spends some 60 µs of CPU a command here (its pool, retries,
observability hooks and parser), more than a bare FastAPI endpoint spends answering a
request (docs/performance.md, "Open: balance reads"); this one spends about a fifth of
that for a pipeline of two. Concurrent callers share the connection: each batch goes out
in one write and the replies come back in the order the batches were sent.

It speaks to the server of a `redis://`, `rediss://` (the system's certificate
authorities; the URL's `ssl_*` options are not read) or `unix://` URL, with the URL's
password and database. It never retries and never waits twice. Any failure (no
connection, a timeout, the connection lost, a reply it cannot parse) raises
`LeanRedisError` to the caller, which is expected to have a slower way to the same
answer; after a failure it does not try to connect again for `pause_seconds`, so an
outage costs the caller nothing. An error Redis answers to one command (`-NOSCRIPT ...`)
is that command's reply, a `ReplyError`.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from redis.asyncio.connection import SSLConnection, UnixDomainSocketConnection, parse_url

Command = Sequence[str]
Reply = Any  # int | bytes | None | ReplyError | list of these
_INCOMPLETE = object()


class LeanRedisError(Exception):
    """Redis did not answer the batch: the caller goes the slower way."""


@dataclass(frozen=True)
class ReplyError:
    """The error Redis answered to one command."""

    message: str


def pack(commands: Sequence[Command]) -> bytes:
    parts = []
    for command in commands:
        parts.append(b"*%d\r\n" % len(command))
        for argument in command:
            data = argument.encode()
            parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


def parse(buffer: bytearray | bytes, start: int) -> tuple[Reply, int]:
    """The reply at `start` and where the next one starts; `_INCOMPLETE` as the reply when
    the buffer does not hold all of it yet."""
    end = buffer.find(b"\r\n", start)
    if end < 0:
        return _INCOMPLETE, start
    kind, line, after = buffer[start], bytes(buffer[start + 1 : end]), end + 2
    if kind == 0x3A:  # ':' integer
        return int(line), after
    if kind == 0x2B:  # '+' simple string
        return line, after
    if kind == 0x2D:  # '-' error
        return ReplyError(line.decode(errors="replace")), after
    if kind == 0x24:  # '$' bulk string
        reply, end = _bulk(buffer, int(line), after)
    elif kind == 0x2A:  # '*' array
        reply, end = _array(buffer, int(line), after)
    else:
        raise LeanRedisError(f"unexpected reply type {chr(kind)!r}")
    return (_INCOMPLETE, start) if reply is _INCOMPLETE else (reply, end)


def _bulk(buffer: bytearray | bytes, size: int, at: int) -> tuple[Reply, int]:
    if size < 0:
        return None, at
    if len(buffer) < at + size + 2:
        return _INCOMPLETE, at
    return bytes(buffer[at : at + size]), at + size + 2


def _array(buffer: bytearray | bytes, count: int, at: int) -> tuple[Reply, int]:
    if count < 0:
        return None, at
    items = []
    for _ in range(count):
        item, at = parse(buffer, at)
        if item is _INCOMPLETE:
            return _INCOMPLETE, at
        items.append(item)
    return items, at


class _Connection(asyncio.Protocol):
    """One connection: batches waiting for their replies, oldest first."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._waiting: deque[tuple[asyncio.Future[list[Reply]], int, list[Reply]]] = deque()
        self._transport: asyncio.WriteTransport | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]  # a stream transport

    def send(self, packed: bytes, count: int) -> asyncio.Future[list[Reply]]:
        if self.closed or self._transport is None:
            raise LeanRedisError("the connection is closed")
        future: asyncio.Future[list[Reply]] = asyncio.get_running_loop().create_future()
        self._waiting.append((future, count, []))
        self._transport.write(packed)
        return future

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        start = 0
        try:
            while self._waiting:
                reply, start = parse(self._buffer, start)
                if reply is _INCOMPLETE:
                    break
                future, count, replies = self._waiting[0]
                replies.append(reply)
                if len(replies) == count:
                    self._waiting.popleft()
                    if not future.done():
                        future.set_result(replies)
        except (LeanRedisError, ValueError) as exc:
            self.close(LeanRedisError(f"unreadable reply: {exc!r}"))
            return
        del self._buffer[:start]

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail(LeanRedisError(f"connection lost: {exc!r}"))

    def close(self, error: LeanRedisError) -> None:
        self.closed = True
        self._fail(error)
        if self._transport is not None:
            self._transport.close()

    def _fail(self, error: LeanRedisError) -> None:
        while self._waiting:
            future, _, _ = self._waiting.popleft()
            if not future.done():
                future.set_exception(error)


class LeanRedis:
    """Commands to the server of a `redis://`, `rediss://` or `unix://` URL."""

    def __init__(
        self,
        url: str,
        *,
        timeout_seconds: float,
        pause_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._target = parse_url(url)
        self._timeout = timeout_seconds
        self._pause = pause_seconds
        self._clock = clock
        self._paused_until = 0.0
        self._connection: _Connection | None = None
        self._lock = asyncio.Lock()

    async def pipeline(self, commands: Sequence[Command]) -> list[Reply]:
        """The replies to `commands`, sent in one write; LeanRedisError when Redis did not
        answer within the timeout."""
        connection = self._connection
        if connection is None or connection.closed:
            connection = await self._connect()
        future = connection.send(pack(commands), len(commands))
        timer = asyncio.get_running_loop().call_later(self._timeout, self._time_out, connection)
        try:
            return await future
        finally:
            timer.cancel()

    async def aclose(self) -> None:
        if self._connection is not None:
            self._connection.close(LeanRedisError("closed"))

    def _time_out(self, connection: _Connection) -> None:
        self._paused_until = self._clock() + self._pause
        connection.close(LeanRedisError(f"no answer within {self._timeout} s"))

    async def _connect(self) -> _Connection:
        if self._clock() < self._paused_until:
            raise LeanRedisError("not connecting again yet after a failure")
        async with self._lock:
            connection = self._connection
            if connection is not None and not connection.closed:
                return connection
            try:
                async with asyncio.timeout(self._timeout):
                    connection = await self._open()
            except (OSError, TimeoutError, LeanRedisError) as exc:
                self._paused_until = self._clock() + self._pause
                raise LeanRedisError(f"cannot connect: {exc!r}") from exc
            self._connection = connection
            return connection

    async def _open(self) -> _Connection:
        loop = asyncio.get_running_loop()
        target = self._target
        kind = target.get("connection_class")
        if kind is UnixDomainSocketConnection:
            _, connection = await loop.create_unix_connection(_Connection, target["path"])
        else:
            context = ssl.create_default_context() if kind is SSLConnection else None
            host, port = target.get("host", "localhost"), target.get("port", 6379)
            _, connection = await loop.create_connection(_Connection, host, port, ssl=context)
        setup = setup_commands(self._target)
        if setup:
            replies = await connection.send(pack(setup), len(setup))
            refused = [r for r in replies if isinstance(r, ReplyError)]
            if refused:
                connection.close(LeanRedisError("setup refused"))
                raise LeanRedisError(f"setup refused: {refused[0].message}")
        return connection


def setup_commands(target: Mapping[str, Any]) -> list[Command]:
    """AUTH and SELECT, as the URL (parsed by redis-py's `parse_url`) asks."""
    setup = list[Command]()
    if target.get("password"):
        user = [str(target["username"])] if target.get("username") else []
        setup.append(["AUTH", *user, str(target["password"])])
    if int(target.get("db") or 0):
        setup.append(["SELECT", str(target["db"])])
    return setup
