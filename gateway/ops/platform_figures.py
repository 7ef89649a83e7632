"""Each service's own figures, read from its `/metrics` as Prometheus would read them.

The services compute the costly ones when asked (the outbox backlog with a count, a
consumer's lag from JetStream's consumer info), each bounded by 2 s, so one read answers
what they are now. A service that does not answer within `READ_TIMEOUT_SECONDS` (or
whose URL is not configured) has no figures: its row says so rather than guessing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime

import httpx

from gateway.ops.platform_answers import ConsumerHealthOut, LastReconciliationOut, OutboxHealthOut
from gateway.settings import GatewaySettings
from libs.logging import get_logger
from libs.metrics.reading import Samples

log = get_logger(__name__)
READ_TIMEOUT_SECONDS = 3.0
OUTBOX_OWNERS = frozenset({"member", "points", "campaign"})


def metrics_urls(settings: GatewaySettings) -> dict[str, str]:
    return {
        "member": settings.member_metrics_url,
        "points": settings.points_metrics_url,
        "campaign": settings.campaign_metrics_url,
        "analytics": settings.analytics_metrics_url,
    }


async def _read(http: httpx.AsyncClient, process: str, url: str) -> Samples | None:
    if not url:
        return None
    try:
        answer = await http.get(url)
        answer.raise_for_status()
    except httpx.HTTPError as exc:
        log.warning("process_metrics_unreadable", process=process, error=repr(exc))
        return None
    return Samples(answer.text)


async def read_all(urls: Mapping[str, str]) -> dict[str, Samples | None]:
    """Every process's samples at once, None for one that could not be read."""
    async with httpx.AsyncClient(timeout=READ_TIMEOUT_SECONDS) as http:
        found = await asyncio.gather(*(_read(http, name, url) for name, url in urls.items()))
    return dict(zip(urls, found, strict=True))


def outbox(process: str, samples: Samples | None) -> OutboxHealthOut | None:
    if samples is None or process not in OUTBOX_OWNERS:
        return None
    backlog = samples.value("outbox_backlog_events") or 0.0
    oldest = samples.value("outbox_oldest_unpublished_age_seconds") or 0.0
    return OutboxHealthOut(backlog=int(backlog), oldest_age_seconds=round(oldest, 3))


def consumers(samples: Samples | None) -> list[ConsumerHealthOut]:
    if samples is None:
        return []
    pending = samples.by_label("event_consumer_pending_messages", "durable")
    unacked = samples.by_label("event_consumer_ack_pending_messages", "durable")
    again = samples.by_label("event_consumer_redeliveries_total", "durable")
    return [
        ConsumerHealthOut(
            durable=durable,
            pending=int(pending.get(durable, 0.0)),
            ack_pending=int(unacked.get(durable, 0.0)),
            redeliveries=int(again.get(durable, 0.0)),
        )
        for durable in sorted({*pending, *unacked, *again})
    ]


def reconciliation(points: Samples | None, tenant_id: str) -> LastReconciliationOut:
    """The tenant's last reconciliation, as the points service recorded it."""
    at = (
        None
        if points is None
        else points.value("loyalty_reconciliation_last_run_timestamp_seconds", tenant=tenant_id)
    )
    if points is None or at is None:
        return LastReconciliationOut(last_run_at=None, drifting_members=None)
    drifting = points.value("loyalty_reconciliation_drifting_members", tenant=tenant_id)
    return LastReconciliationOut(
        last_run_at=datetime.fromtimestamp(at, UTC),
        drifting_members=None if drifting is None else int(drifting),
    )
