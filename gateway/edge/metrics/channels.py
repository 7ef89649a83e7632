"""The gateway's channels to the services, with every call timed."""

from __future__ import annotations

from dataclasses import dataclass

from grpc import aio

from gateway.edge.metrics.instruments import GatewayMetrics
from gateway.edge.metrics.recent import RecentCalls
from libs.grpc.client import make_channel
from libs.grpc.metrics import CallTiming
from libs.grpc.tls import TlsFiles


@dataclass(frozen=True)
class WindowedTiming(CallTiming):
    """Also counts each call in the last minutes' window (the console's status page)."""

    recent: RecentCalls

    def observe(self, method: str, code: str, seconds: float) -> None:
        super().observe(method, code, seconds)
        self.recent.record(method, code)


def timed_channel(
    address: str, *, default_timeout: float, metrics: GatewayMetrics, tls: TlsFiles | None = None
) -> aio.Channel:
    timing = WindowedTiming(metrics.grpc_calls, metrics.grpc_duration, metrics.recent_calls)
    return make_channel(address, default_timeout, tls=tls, timing=timing)
