"""`/metrics`: Prometheus scrapes it; no key, never rate limited."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response

from gateway.clients import AppContainer
from gateway.edge.metrics.instruments import GatewayMetrics
from libs.metrics.process import METRICS
from libs.metrics.registry import CONTENT_TYPE, Counter, Gauge, Registry
from libs.process_status import read_status

router = APIRouter(tags=["health"])

# What the gateway's process records beside its own figures (it has no outbox or gRPC
# server of its own, and times its calls to the services in its own metrics): its
# database reads, its certificate, and the work of its one consumer (webhooks).
PROCESS_METRICS = frozenset(
    {
        "mongodb_command_duration_seconds",
        "tls_certificate_expiry_timestamp_seconds",
        "event_consumer_handled_total",
        "event_consumer_redeliveries_total",
    }
)


@router.get(
    "/metrics",
    summary="Request counts and latencies, gRPC call latencies, requests in flight",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
)
async def metrics(request: Request, container: AppContainer) -> Response:
    registry: GatewayMetrics = request.app.state.metrics
    text = registry.registry.render() + METRICS.registry.render(only=PROCESS_METRICS)
    if (path := container.settings.stack_status_file) is not None:
        text += await asyncio.to_thread(_launcher_metrics, path)
    return Response(text, media_type=CONTENT_TYPE)


def _launcher_metrics(path: Path) -> str:
    """The launcher's restarts and each process's state, from its status file."""
    restarts = Counter(
        "stack_process_restarts_total",
        "Times the launcher restarted a process that died.",
        ("process",),
    )
    up = Gauge("stack_process_up", "1 while the launcher has the process running.", ("process",))
    for name, status in read_status(path).items():
        restarts.inc((name,), status.restarts)
        up.inc((name,), 1.0 if status.state == "running" else 0.0)
    launcher = Registry()
    launcher.add(restarts)
    launcher.add(up)
    return launcher.render()
