"""The loop every background worker of a server runs (periodic sweeps, event consumers,
followers): run until stopped, and after a failure wait a little and go on."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import Awaitable, Callable

from libs.ids import new_id
from libs.logging import get_logger

log = get_logger(__name__)


def holder_name() -> str:
    """Who holds a lease: this host and process, and a unique part (one worker, or one run,
    of the process)."""
    return f"{socket.gethostname()}:{os.getpid()}:{new_id()}"


class WorkerLoop:
    """A server worker that can be stopped at any moment, also while it waits."""

    def __init__(self) -> None:
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    async def pause(self, seconds: float) -> None:
        """Wait `seconds`, or less when the worker is stopped meanwhile."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    async def keep_running(
        self, body: Callable[[], Awaitable[None]], retry_seconds: float, waiting: str, **fields: str
    ) -> None:
        """Run `body` until stopped; when it fails (an outage), log `waiting` and run it
        again after `retry_seconds`."""
        while not self.stopping:
            try:
                await body()
            except Exception as exc:
                log.warning(waiting, error=repr(exc), **fields)
                await self.pause(retry_seconds)


class Sweeper(WorkerLoop):
    """Calls `sweep` every `interval` seconds, and again at once while it fills its `batch`
    (it returns how much it did). Several replicas may sweep at the same time, so a sweep
    must claim its work with conditional updates. Used for expired holds, due lots, stale
    reservations, lapsed tiers, on every replica."""

    def __init__(
        self,
        name: str,
        sweep: Callable[[], Awaitable[int]],
        interval: float,
        batch: int | None = None,
    ) -> None:
        super().__init__()
        self._name = name
        self._sweep = sweep
        self._interval = interval
        self._batch = batch

    async def run(self) -> None:
        while not self.stopping:
            try:
                done = await self._sweep()
            except Exception as exc:  # an outage of MongoDB: try again at the next sweep
                log.warning("sweep_deferred", sweep=self._name, error=repr(exc))
                done = 0
            if done:
                log.info("sweep_done", sweep=self._name, count=done)
            if self._batch is None or done < self._batch:
                await self.pause(self._interval)
