"""Counts and times every HTTP request by its route template (`/v1/members/{member_id}`,
never the raw path, so the number of series stays bounded)."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.edge.metrics.instruments import UNMATCHED_ROUTE, GatewayMetrics
from gateway.edge.routing import route_template


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: GatewayMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        self.metrics.http_in_flight.inc()
        try:
            await self.app(scope, receive, recording_send)
        finally:
            self.metrics.http_in_flight.dec()
            elapsed = time.perf_counter() - started
            route = route_template(scope) or UNMATCHED_ROUTE
            self.metrics.observe_http(scope["method"], route, status, elapsed)
