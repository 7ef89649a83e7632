"""Scheduled work of the member service, run beside the gRPC server on every replica."""

from __future__ import annotations

import asyncio
import contextlib

from libs.logging import get_logger
from services.member.domain.ports import UnitOfWork
from services.member.handlers.tiers import expire_manual_tiers

log = get_logger(__name__)


class ManualTierExpiry:
    """Every `interval` seconds, revert manual tiers whose end date has passed."""

    def __init__(self, uow: UnitOfWork, interval: float) -> None:
        self._uow = uow
        self._interval = interval
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                await expire_manual_tiers(self._uow)
            except Exception as exc:  # an outage: the next round tries again
                log.warning("manual_tier_expiry_deferred", error=repr(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self._interval)
