"""PyMongo's asyncio waits made safe to cancel more than once, on Python 3.11.

Server selection and connection checkout wait on a condition through `asyncio.wait_for`,
which on Python 3.11 runs the wait in a task of its own. A caller cancelled again while
that inner task is still taking the topology's lock back (gRPC cancels a handler at its
deadline; the database being out of reach keeps many handlers waiting there) leaves
without the lock: it fails with RuntimeError ("Lock is not acquired"), and the inner task
then takes the lock for good, so every later operation of the process waits forever. Seen
in the fault suite: the member service answered nothing after the database came back.

Here the wait runs in the caller's own task under `asyncio.timeout`, as `wait_for` does
from Python 3.12: the condition takes its lock back before any cancellation goes on.
"""

from __future__ import annotations

import asyncio
from types import ModuleType
from typing import Any

from pymongo.asynchronous import pool, topology

PATCHED: tuple[ModuleType, ...] = (topology, pool)


async def wait_in_own_task(condition: Any, timeout: float | None) -> bool:  # noqa: ASYNC109
    """`condition.wait()` for at most `timeout` seconds; False when the time ran out. (The
    signature is the one PyMongo calls.)"""
    try:
        async with asyncio.timeout(timeout):
            return bool(await condition.wait())
    except TimeoutError:
        return False


def install() -> None:
    """Make PyMongo's asynchronous topology and pool wait with `wait_in_own_task`."""
    for module in PATCHED:
        if not hasattr(module, "_async_cond_wait"):  # a PyMongo that no longer has it
            raise RuntimeError(f"{module.__name__} has no _async_cond_wait to replace")
        module._async_cond_wait = wait_in_own_task  # type: ignore[attr-defined]
