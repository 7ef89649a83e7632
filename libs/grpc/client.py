"""Client channels: every call carries the request id and has a deadline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from grpc import aio

from libs.logging import REQUEST_ID_HEADER, current_request_id

# gRPC's default reconnect backoff grows to 120 s: a peer back from a crash would go on
# being refused (UNAVAILABLE) by this channel for as long as its next attempt is due.
# Trying every second at most costs one connection attempt a second while it is down.
RECONNECT_BACKOFF = [
    ("grpc.initial_reconnect_backoff_ms", 250),
    ("grpc.min_reconnect_backoff_ms", 250),
    ("grpc.max_reconnect_backoff_ms", 1000),
]


class _RequestContextInterceptor(aio.UnaryUnaryClientInterceptor):  # type: ignore[type-arg]
    def __init__(self, default_timeout: float) -> None:
        self._default_timeout = default_timeout

    async def intercept_unary_unary(
        self,
        continuation: Callable[[aio.ClientCallDetails, Any], Any],
        client_call_details: aio.ClientCallDetails,
        request: Any,
    ) -> Any:
        metadata = aio.Metadata(*(client_call_details.metadata or ()))
        request_id = current_request_id()
        if request_id and REQUEST_ID_HEADER not in metadata:
            metadata.add(REQUEST_ID_HEADER, request_id)
        timeout = client_call_details.timeout
        details = aio.ClientCallDetails(
            method=client_call_details.method,
            timeout=self._default_timeout if timeout is None else timeout,
            metadata=metadata,
            credentials=client_call_details.credentials,
            wait_for_ready=client_call_details.wait_for_ready,
        )
        return await continuation(details, request)


def make_channel(
    address: str,
    default_timeout: float = 5.0,
    *,
    interceptors: Sequence[object] = (),
) -> aio.Channel:
    """An insecure channel to a peer inside the cluster (mTLS belongs to the mesh).

    `interceptors` run outside the one that adds the request id and the deadline.
    """
    return aio.insecure_channel(
        address,
        interceptors=[*interceptors, _RequestContextInterceptor(default_timeout)],  # type: ignore[list-item]
        options=[
            ("grpc.keepalive_time_ms", 30_000),
            ("grpc.enable_retries", 1),
            *RECONNECT_BACKOFF,
        ],
    )
