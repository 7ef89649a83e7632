"""`/metrics`: Prometheus scrapes it; no key, never rate limited."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from gateway.edge.metrics.instruments import GatewayMetrics
from gateway.edge.metrics.registry import CONTENT_TYPE

router = APIRouter(tags=["health"])


@router.get(
    "/metrics",
    summary="Request counts and latencies, gRPC call latencies, requests in flight",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
)
async def metrics(request: Request) -> Response:
    registry: GatewayMetrics = request.app.state.metrics
    return Response(registry.registry.render(), media_type=CONTENT_TYPE)
