"""The gateway's channels to the services, with every call timed."""

from __future__ import annotations

from grpc import aio

from gateway.edge.metrics.instruments import GatewayMetrics
from libs.grpc.client import make_channel
from libs.grpc.metrics import CallTiming
from libs.grpc.tls import TlsFiles


def timed_channel(
    address: str, *, default_timeout: float, metrics: GatewayMetrics, tls: TlsFiles | None = None
) -> aio.Channel:
    timing = CallTiming(metrics.grpc_calls, metrics.grpc_duration)
    return make_channel(address, default_timeout, tls=tls, timing=timing)
