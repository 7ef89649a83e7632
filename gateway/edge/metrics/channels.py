"""The gateway's channels to the services, with every call timed."""

from __future__ import annotations

from grpc import aio

from gateway.edge.metrics.grpc_client import MetricsInterceptor
from gateway.edge.metrics.instruments import GatewayMetrics
from libs.grpc.client import make_channel
from libs.grpc.tls import TlsFiles


def timed_channel(
    address: str, *, default_timeout: float, metrics: GatewayMetrics, tls: TlsFiles | None = None
) -> aio.Channel:
    interceptors = [MetricsInterceptor(metrics)]
    return make_channel(address, default_timeout, interceptors=interceptors, tls=tls)
