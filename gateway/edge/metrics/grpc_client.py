"""A grpc.aio client interceptor timing every call to a service, by method and status."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import grpc
from grpc import aio

from gateway.edge.metrics.instruments import GatewayMetrics


class MetricsInterceptor(aio.UnaryUnaryClientInterceptor):  # type: ignore[type-arg]
    def __init__(self, metrics: GatewayMetrics) -> None:
        self._metrics = metrics

    async def intercept_unary_unary(
        self,
        continuation: Callable[[aio.ClientCallDetails, Any], Any],
        client_call_details: aio.ClientCallDetails,
        request: Any,
    ) -> Any:
        method = client_call_details.method
        name = method.decode() if isinstance(method, bytes) else str(method)
        started = time.perf_counter()
        call = await continuation(client_call_details, request)
        try:
            code = await call.code()
        except BaseException:
            code = grpc.StatusCode.CANCELLED
            raise
        finally:
            self._metrics.observe_grpc(name, code.name, time.perf_counter() - started)
        return call
