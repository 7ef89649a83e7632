"""Client channels: every call carries the request id and has a deadline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from grpc import aio
from grpc.experimental import session_cache  # type: ignore[attr-defined]

from libs.grpc.intercept import call_details
from libs.grpc.metrics import CallTiming, ClientMetricsInterceptor
from libs.grpc.tls import TlsFiles, channel_credentials
from libs.grpc.tracing import ClientTracingInterceptor
from libs.logging import REQUEST_ID_HEADER, current_request_id
from libs.metrics.process import METRICS

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
        timeout = self._default_timeout if timeout is None else timeout
        details = call_details(client_call_details, metadata=metadata, timeout=timeout)
        return await continuation(details, request)


def channel_target(address: str) -> tuple[str, list[tuple[str, object]]]:
    """The target and extra options of a channel to `address`: one `host:port`, or a
    comma-separated list of `ip:port` (replicas of one service), whose calls the channel
    spreads round-robin over the replicas it can reach. The certificate is checked
    against the first address's host, as for one address."""
    addresses = [part.strip() for part in address.split(",") if part.strip()]
    if len(addresses) < 2:
        return address, []
    host = addresses[0].rpartition(":")[0]
    return "ipv4:" + ",".join(addresses), [
        ("grpc.lb_policy_name", "round_robin"),
        ("grpc.ssl_target_name_override", host),
    ]


# One per process: a channel that reconnects (a peer restarted, or the server's
# max_connection_age came round) resumes its TLS session instead of a full handshake.
_TLS_SESSIONS = session_cache.ssl_session_cache_lru(64)


def make_channel(
    address: str,
    default_timeout: float = 5.0,
    *,
    interceptors: Sequence[object] = (),
    tls: TlsFiles | None = None,
    timing: CallTiming | None = None,
) -> aio.Channel:
    """The one channel to a peer (or to its replicas: `channel_target`): mutual TLS with
    `tls` (the process's CA, certificate and key), plaintext without (tests that start a
    bare server in-process).

    Every call is timed into `timing` (default: the process's `grpc_client_*` metrics)
    and traced (libs/tracing.py) when tracing is on.
    `interceptors` run outside the one that adds the request id and the deadline.
    """
    if timing is None:
        timing = CallTiming(METRICS.grpc_client_handled, METRICS.grpc_client_seconds)
    chain = [
        ClientMetricsInterceptor(timing),
        ClientTracingInterceptor(),
        *interceptors,
        _RequestContextInterceptor(default_timeout),
    ]
    target, spread = channel_target(address)
    options: list[tuple[str, object]] = [
        ("grpc.keepalive_time_ms", 30_000),
        ("grpc.enable_retries", 1),
        *RECONNECT_BACKOFF,
        *spread,
    ]
    if tls is None:
        return aio.insecure_channel(target, interceptors=chain, options=options)  # type: ignore[arg-type]
    options.append(("grpc.ssl_session_cache", _TLS_SESSIONS))
    return aio.secure_channel(
        target,
        channel_credentials(tls),
        interceptors=chain,  # type: ignore[arg-type]
        options=options,
    )
