"""A server worker that releases reservations no order settled (it crashed, or its answer
was lost), so their budget is not held forever. Safe on several replicas: a reservation
moves once, by a conditional update."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime

from libs.logging import get_logger
from services.campaign.adapters.reservations import MongoReservations

log = get_logger(__name__)


class ReservationSweep:
    def __init__(
        self, reservations: MongoReservations, clock: Callable[[], datetime], interval: float
    ) -> None:
        self._reservations = reservations
        self._clock = clock
        self._interval = interval
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                released = await self._reservations.sweep(self._clock())
            except Exception as exc:  # an outage of MongoDB: try again at the next sweep
                log.warning("reservation_sweep_deferred", error=repr(exc))
                released = 0
            if released:
                log.info("reservations_released", count=released)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self._interval)
