"""Scheduled work of the member service, run beside the gRPC server on every replica."""

from __future__ import annotations

import asyncio
import contextlib

from libs.logging import get_logger
from services.member.domain.ports import UnitOfWork
from services.member.handlers.tier_review import review_tiers
from services.member.handlers.tiers import expire_manual_tiers

log = get_logger(__name__)


class TierJobs:
    """Every `interval` seconds, revert manual tiers whose end date has passed, then judge
    the tiers whose qualification period is over (renew or drop them)."""

    def __init__(self, uow: UnitOfWork, interval: float) -> None:
        self._uow = uow
        self._interval = interval
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        while not self._stopping.is_set():
            for job in (expire_manual_tiers, review_tiers):
                try:
                    await job(self._uow)
                except Exception as exc:  # an outage: the next round tries again
                    log.warning("tier_job_deferred", job=job.__name__, error=repr(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self._interval)
