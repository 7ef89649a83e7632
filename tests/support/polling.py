"""Waiting for something that happens a moment later (an event consumed, a relay's
publish), with a deadline: the one polling helper of every suite."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    check: Callable[[], Awaitable[bool] | bool], within: float = 10.0, pause: float = 0.05
) -> None:
    """Until `check` (a coroutine function, or a plain one) holds; AssertionError after
    `within` seconds."""
    deadline = time.monotonic() + within
    while not await _holds(check):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {within}s: {check.__qualname__}")
        await asyncio.sleep(pause)


async def _holds(check: Callable[[], Awaitable[bool] | bool]) -> bool:
    answer = check()
    return bool(await answer) if inspect.isawaitable(answer) else bool(answer)


async def settled(
    read: Callable[[], Awaitable[T]],
    done: Callable[[T], bool],
    within: float = 30.0,
    pause: float = 0.2,
) -> T:
    """The first value of `read` that is `done`; AssertionError with the last one read
    after `within` seconds."""
    deadline = time.monotonic() + within
    value = await read()
    while not done(value):
        if time.monotonic() > deadline:
            raise AssertionError(f"not settled within {within}s; last read: {value!r}")
        await asyncio.sleep(pause)
        value = await read()
    return value


def eventually_sync(check: Callable[[], bool], within: float = 10.0, pause: float = 0.02) -> None:
    """`eventually` for tests that run no event loop (processes, threads)."""
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {within}s: {check.__qualname__}")
        time.sleep(pause)
