"""A server worker that runs one periodic sweep (expired holds, due lots, stale reservations,
lapsed tiers), on every replica."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from libs.logging import get_logger

log = get_logger(__name__)


class Sweeper:
    """Calls `sweep` every `interval` seconds, and again at once while it fills its `batch`
    (it returns how much it did). Several replicas may sweep at the same time, so a sweep
    must claim its work with conditional updates."""

    def __init__(
        self,
        name: str,
        sweep: Callable[[], Awaitable[int]],
        interval: float,
        batch: int | None = None,
    ) -> None:
        self._name = name
        self._sweep = sweep
        self._interval = interval
        self._batch = batch
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                done = await self._sweep()
            except Exception as exc:  # an outage of MongoDB: try again at the next sweep
                log.warning("sweep_deferred", sweep=self._name, error=repr(exc))
                done = 0
            if done:
                log.info("sweep_done", sweep=self._name, count=done)
            if self._batch is None or done < self._batch:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), timeout=self._interval)
