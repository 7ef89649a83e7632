"""`GET /v1/admin/platform/health`: what the console's status page shows, per process."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from fastapi import APIRouter, Request

from gateway.access.auth import OperatorKey
from gateway.clients import AppContainer
from gateway.edge.metrics.instruments import GatewayMetrics
from gateway.edge.problems import problem_responses
from gateway.ops import platform_figures as figures
from gateway.ops.health_routes import channel_serving, mongo_ready
from gateway.ops.platform_answers import PlatformHealthOut, ProcessHealthOut, RecentCallsOut
from libs.process_status import ProcessStatus, read_status

router = APIRouter(tags=["admin: platform"])
PATH = "/v1/admin/platform/health"

EXAMPLE = {
    "checked_at": "2026-12-07T05:40:00.120000+00:00",
    "window_minutes": 5,
    "processes": [
        {
            "process": "points",
            "serving": True,
            "restarts": 0,
            "figures_read": True,
            "outbox": {"backlog": 3, "oldest_age_seconds": 0.4},
            "consumers": [
                {
                    "durable": "points-member-merges",
                    "pending": 0,
                    "ack_pending": 0,
                    "redeliveries": 2,
                }
            ],
            "calls": {"calls": 1200, "failed": 6, "error_rate": 0.005},
        }
    ],
    "reconciliation": {"last_run_at": "2026-12-07T02:00:05+00:00", "drifting_members": 0},
}


def _calls(metrics: GatewayMetrics, process: str) -> RecentCallsOut:
    counts = metrics.recent_calls.counts(process)
    rate = counts.failed / counts.calls if counts.calls else None
    return RecentCallsOut(calls=counts.calls, failed=counts.failed, error_rate=rate)


async def _serving(container: AppContainer) -> dict[str, bool]:
    channels = dict(container.channels)
    if container.analytics_channel is not None:
        channels["analytics"] = container.analytics_channel
    found = await asyncio.gather(
        mongo_ready(container), *(channel_serving(c, name) for name, c in channels.items())
    )
    return dict(zip(["mongo", *channels], found, strict=True))


async def _launcher(container: AppContainer) -> dict[str, ProcessStatus]:
    path = container.settings.stack_status_file
    return {} if path is None else await asyncio.to_thread(read_status, path)


@router.get(
    PATH,
    response_model=PlatformHealthOut,
    summary="Each process's health: serving, outbox backlog, consumer lag, error rate",
    description=(
        "Platform-wide (the same for every tenant, but `reconciliation`, which is the "
        "caller's tenant's): for the gateway, its database (`mongo`) and each service, "
        "whether it answers its health check now; for each service, from its own "
        "`/metrics` read now, its outbox (events not yet published and the oldest one's "
        "age) and its durable consumers (events not given yet, given and not "
        "acknowledged, redelivered), and the gateway's calls to it over the last "
        "`window_minutes` with those the service failed. Under the launcher, how often "
        "each process was restarted. A process whose figures could not be read says "
        "`figures_read: false`. The figures are those of the alerts in "
        "docs/operations.md."
    ),
    responses={
        200: {"content": {"application/json": {"example": EXAMPLE}}},
        **problem_responses(401, 403),
    },
)
async def platform_health(
    request: Request, caller: OperatorKey, container: AppContainer
) -> PlatformHealthOut:
    settings = container.settings
    metrics: GatewayMetrics = request.app.state.metrics
    urls = figures.metrics_urls(settings)
    if not settings.analytics_addr:
        urls.pop("analytics")
    serving, samples, launcher = await asyncio.gather(
        _serving(container), figures.read_all(urls), _launcher(container)
    )

    def row(process: str, *, served: bool) -> ProcessHealthOut:
        found = samples.get(process)
        restarts = launcher[process].restarts if process in launcher else None
        has_calls = process in urls
        return ProcessHealthOut(
            process=process,
            serving=served,
            restarts=restarts,
            figures_read=found is not None,
            outbox=figures.outbox(process, found),
            consumers=figures.consumers(found),
            calls=_calls(metrics, process) if has_calls else None,
        )

    rows = [row("gateway", served=True), *(row(p, served=ok) for p, ok in serving.items())]
    return PlatformHealthOut(
        checked_at=datetime.now(UTC),
        window_minutes=metrics.recent_calls.minutes,
        processes=rows,
        reconciliation=figures.reconciliation(samples.get("points"), caller.tenant_id),
    )
