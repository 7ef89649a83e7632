"""Every replica follows `campaign.changed` to read its active campaigns again.

Each replica needs every change, so this is not a shared durable consumer: each replica
has an ordered consumer of its own (ephemeral, from the newest message on, recreated by
the client after a gap). Changes missed while NATS was away are covered by forgetting the
whole active set whenever the subscription starts again, and by the cache's maximum age.
"""

from __future__ import annotations

import contextlib
from typing import Protocol

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import DeliverPolicy

from libs.logging import get_logger
from libs.nats import STREAM_NAME, NatsConnector
from libs.workers import WorkerLoop
from loyalty.campaign.v1 import campaign_events_pb2 as pb
from services.campaign.campaigns.adapters.events import CAMPAIGN_CHANGED
from services.campaign.campaigns.handlers.admin import ChangeNotifier

SUBJECT = f"loyalty.*.{CAMPAIGN_CHANGED}"

log = get_logger(__name__)


class ForgetsEverything(ChangeNotifier, Protocol):
    def forget_all(self) -> None: ...


class CampaignChangeFollower(WorkerLoop):
    """A server worker: tells the active-campaign cache about every campaign change."""

    def __init__(
        self, connector: NatsConnector, cache: ForgetsEverything, *, retry_seconds: float = 1.0
    ) -> None:
        super().__init__()
        self._connector = connector
        self._cache = cache
        self._retry_seconds = retry_seconds

    async def run(self) -> None:
        # NATS away: follow again shortly
        await self.keep_running(self._follow, self._retry_seconds, "campaign_changes_waiting")

    async def _follow(self) -> None:
        js = await self._connector.jetstream()
        sub = await js.subscribe(
            SUBJECT, stream=STREAM_NAME, ordered_consumer=True, deliver_policy=DeliverPolicy.NEW
        )
        try:
            # Whatever changed while nobody here was listening is read again.
            self._cache.forget_all()
            while not self.stopping:
                try:
                    msg = await sub.next_msg(timeout=1.0)
                except NatsTimeoutError:
                    continue
                await self._changed(msg)
        finally:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    async def _changed(self, msg: Msg) -> None:
        event = pb.CampaignChanged.FromString(msg.data)
        tenant_id = event.meta.tenant_id
        if not tenant_id:
            log.error("campaign_changed_unusable", subject=msg.subject)
            return
        await self._cache.changed(tenant_id, event.campaign_id)
        log.info("active_campaigns_forgotten", tenant_id=tenant_id, campaign_id=event.campaign_id)
