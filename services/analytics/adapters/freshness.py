"""Whether the read model is current: its durable consumer has acknowledged (after each
batch's commit) every event the stream held when asked, and no rebuild is replaying the
log. One stream and one consumer question to NATS, the consumer asked again every
`poll_seconds` until caught up or `wait_seconds` passed; the rebuild flag one document."""

from __future__ import annotations

import asyncio
import time

from nats.errors import Error as NatsError

from libs.logging import get_logger
from libs.mongo import Database
from libs.nats import STREAM_NAME, NatsConnector
from services.analytics.adapters.repositories import CONTROL, REBUILD
from services.analytics.domain.campaign_holdout import (
    ANALYTICS_BEHIND,
    ANALYTICS_REBUILDING,
    caught_up,
)
from services.analytics.domain.ports import Freshness

log = get_logger(__name__)
POLL_SECONDS = 0.05


class StreamFreshness(Freshness):
    def __init__(
        self,
        nats: NatsConnector,
        db: Database,
        durable: str,
        *,
        wait_seconds: float,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self._nats = nats
        self._db = db
        self._durable = durable
        self._wait = wait_seconds
        self._poll = poll_seconds

    async def behind(self) -> str:
        control = await self._db[CONTROL].find_one({"_id": REBUILD}, {"running": 1})
        if control and control.get("running"):
            return ANALYTICS_REBUILDING
        try:
            async with asyncio.timeout(self._wait + 1.0):
                return "" if await self._caught_up() else ANALYTICS_BEHIND
        except (NatsError, TimeoutError) as error:
            log.warning("analytics_freshness_unknown", error=type(error).__name__)
            return ANALYTICS_BEHIND

    async def _caught_up(self) -> bool:
        js = await self._nats.jetstream()
        asked = (await js.stream_info(STREAM_NAME)).state.last_seq
        until = time.monotonic() + self._wait
        while True:
            info = await js.consumer_info(STREAM_NAME, self._durable, timeout=self._wait)
            acked = info.ack_floor.stream_seq if info.ack_floor else 0
            if caught_up(asked, acked or 0, info.num_pending or 0, info.num_ack_pending or 0):
                return True
            if time.monotonic() >= until:
                return False
            await asyncio.sleep(self._poll)
