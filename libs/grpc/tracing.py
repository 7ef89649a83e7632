"""The tracing interceptor pair: a client span per call with its context sent as W3C
`traceparent` metadata, and a server span per RPC that continues the caller's trace."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
from grpc import aio
from opentelemetry.trace import SpanKind

from libs import tracing
from libs.grpc.intercept import Behavior, UnaryServerInterceptor, call_details, method_name
from libs.grpc.metrics import status_name


def _attributes(method: str) -> dict[str, str]:
    service, _, rpc = method.strip("/").partition("/")
    return {"rpc.system": "grpc", "rpc.service": service, "rpc.method": rpc}


class ClientTracingInterceptor(aio.UnaryUnaryClientInterceptor):  # type: ignore[type-arg]
    async def intercept_unary_unary(
        self,
        continuation: Callable[[aio.ClientCallDetails, Any], Any],
        client_call_details: aio.ClientCallDetails,
        request: Any,
    ) -> Any:
        if not tracing.enabled():
            return await continuation(client_call_details, request)
        method = method_name(client_call_details.method)
        with tracing.span(method, SpanKind.CLIENT, attributes=_attributes(method)) as span:
            metadata = aio.Metadata(*(client_call_details.metadata or ()))
            for key, value in tracing.inject().items():
                metadata.add(key, value)
            timeout = client_call_details.timeout
            details = call_details(client_call_details, metadata=metadata, timeout=timeout)
            call = await continuation(details, request)
            code = await call.code()
            if code is not grpc.StatusCode.OK:
                tracing.fail(span, code.name)
            return call


class ServerTracingInterceptor(UnaryServerInterceptor):
    def wrap(self, behavior: Behavior, method: str) -> Behavior:
        return _traced(behavior, method)


def _traced(behavior: Behavior, method: str) -> Behavior:
    async def traced(request: Any, context: aio.ServicerContext[Any, Any]) -> Any:
        if not tracing.enabled():
            return await behavior(request, context)
        sent = {k: v for k, v in context.invocation_metadata() or () if isinstance(v, str)}
        parent = tracing.extract(sent)
        with tracing.span(
            method, SpanKind.SERVER, parent=parent, attributes=_attributes(method)
        ) as span:
            try:
                answer = await behavior(request, context)
            except aio.AbortError:
                tracing.fail(span, status_name(context.code(), "UNKNOWN"))
                raise
            code = status_name(context.code(), "OK")
            if code != "OK":
                tracing.fail(span, code)
            return answer

    return traced
