"""The gateway's channels to the services: `libs.grpc.client.make_channel`'s, timed.

`make_channel` takes no extra interceptors, so this builds the same channel with the
metrics interceptor outermost. When `make_channel` accepts interceptors, this becomes a
call to it.
"""

from __future__ import annotations

from grpc import aio

from gateway.metrics.grpc_client import MetricsInterceptor
from gateway.metrics.instruments import GatewayMetrics
from libs.grpc.client import _RequestContextInterceptor

# As in make_channel: keepalive pings, and gRPC's own retries of transparent failures.
CHANNEL_OPTIONS = [("grpc.keepalive_time_ms", 30_000), ("grpc.enable_retries", 1)]


def timed_channel(address: str, *, default_timeout: float, metrics: GatewayMetrics) -> aio.Channel:
    interceptors = [MetricsInterceptor(metrics), _RequestContextInterceptor(default_timeout)]
    return aio.insecure_channel(
        address,
        interceptors=interceptors,  # type: ignore[arg-type]
        options=CHANNEL_OPTIONS,
    )
