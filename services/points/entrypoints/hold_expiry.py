"""A server worker that releases holds not captured in time."""

from __future__ import annotations

import asyncio
import contextlib

from libs.logging import get_logger
from services.points.domain.ports import UnitOfWork
from services.points.handlers.redemptions import expire_due_holds

log = get_logger(__name__)


class HoldExpiryWorker:
    """Sweeps every `interval` seconds; several replicas may sweep at once."""

    def __init__(self, uow: UnitOfWork, interval: float = 1.0, batch: int = 100) -> None:
        self._uow = uow
        self._interval = interval
        self._batch = batch
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                released = await expire_due_holds(self._uow, limit=self._batch)
            except Exception as exc:  # an outage of MongoDB: try again at the next sweep
                log.warning("hold_expiry_deferred", error=repr(exc))
                released = 0
            if released:
                log.info("holds_expired", count=released)
            if released < self._batch:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), timeout=self._interval)
