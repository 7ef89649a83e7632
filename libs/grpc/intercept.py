"""What the platform's interceptors share: wrapping every unary RPC a server answers, and
changing the details of a call a client makes."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
from grpc import aio

Behavior = Callable[[Any, aio.ServicerContext[Any, Any]], Awaitable[Any]]


def method_name(method: str | bytes) -> str:
    return method.decode() if isinstance(method, bytes) else str(method)


class UnaryServerInterceptor(aio.ServerInterceptor):  # type: ignore[type-arg]
    """Wraps the behaviour of every unary-unary RPC with `wrap` (streams pass untouched)."""

    @abstractmethod
    def wrap(self, behavior: Behavior, method: str) -> Behavior:
        """The behaviour to answer `method` with, around `behavior`."""

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[Any]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> Any:
        handler = await continuation(handler_call_details)
        if handler is None or handler.unary_unary is None:
            return handler
        return grpc.unary_unary_rpc_method_handler(
            self.wrap(handler.unary_unary, method_name(handler_call_details.method)),
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )


def call_details(
    details: aio.ClientCallDetails, *, metadata: aio.Metadata, timeout: float | None
) -> aio.ClientCallDetails:
    """`details` with other metadata and timeout."""
    return aio.ClientCallDetails(
        method=details.method,
        timeout=timeout,
        metadata=metadata,
        credentials=details.credentials,
        wait_for_ready=details.wait_for_ready,
    )
