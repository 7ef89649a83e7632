"""One interceptor pair that times every RPC, answered or made, by method and status.

Every service's server carries `ServerMetricsInterceptor` and every channel
`ClientMetricsInterceptor`; both record into a counter and a histogram labelled
(method, code) that the caller hands them (the process's, or the gateway's own).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import grpc
from grpc import aio

from libs.grpc.intercept import Behavior, UnaryServerInterceptor, method_name
from libs.metrics.registry import Counter, Histogram

_CODES_BY_VALUE = {code.value[0]: code for code in grpc.StatusCode}


@dataclass(frozen=True)
class CallTiming:
    calls: Counter
    seconds: Histogram

    def observe(self, method: str, code: str, seconds: float) -> None:
        self.calls.inc((method, code))
        self.seconds.observe((method, code), seconds)


def status_name(code: object, default: str) -> str:
    if isinstance(code, grpc.StatusCode):
        return code.name
    if isinstance(code, int) and code in _CODES_BY_VALUE:
        return _CODES_BY_VALUE[code].name
    return default


class ClientMetricsInterceptor(aio.UnaryUnaryClientInterceptor):  # type: ignore[type-arg]
    def __init__(self, timing: CallTiming) -> None:
        self._timing = timing

    async def intercept_unary_unary(
        self,
        continuation: Callable[[aio.ClientCallDetails, Any], Any],
        client_call_details: aio.ClientCallDetails,
        request: Any,
    ) -> Any:
        started = time.perf_counter()
        call = await continuation(client_call_details, request)
        code = grpc.StatusCode.CANCELLED
        try:
            code = await call.code()
        finally:
            elapsed = time.perf_counter() - started
            self._timing.observe(method_name(client_call_details.method), code.name, elapsed)
        return call


class ServerMetricsInterceptor(UnaryServerInterceptor):
    """The outermost server interceptor: it sees the status the error mapping chose."""

    def __init__(self, timing: CallTiming) -> None:
        self._timing = timing

    def wrap(self, behavior: Behavior, method: str) -> Behavior:
        async def timed(request: Any, context: aio.ServicerContext[Any, Any]) -> Any:
            started = time.perf_counter()
            code = "UNKNOWN"
            try:
                answer = await behavior(request, context)
                code = status_name(context.code(), "OK")
                return answer
            except aio.AbortError:
                code = status_name(context.code(), "UNKNOWN")
                raise
            finally:
                self._timing.observe(method, code, time.perf_counter() - started)

        return timed
