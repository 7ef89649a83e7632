"""The gateway's metrics, one registry per app (so tests never share counts)."""

from __future__ import annotations

from gateway.edge.metrics.recent import RecentCalls
from libs.metrics.registry import Counter, Gauge, Histogram, Registry

UNMATCHED_ROUTE = "unmatched"  # any path no route matched: one label, not one per probe


class GatewayMetrics:
    def __init__(self) -> None:
        self.registry = Registry()
        self.http_requests = Counter(
            "gateway_http_requests_total",
            "HTTP requests answered, by method, route template and status code.",
            ("method", "route", "status"),
        )
        self.http_duration = Histogram(
            "gateway_http_request_duration_seconds",
            "Time to answer an HTTP request, by method, route template and status code.",
            ("method", "route", "status"),
        )
        self.http_in_flight = Gauge(
            "gateway_http_requests_in_flight", "HTTP requests being answered now."
        )
        self.grpc_calls = Counter(
            "gateway_grpc_client_calls_total",
            "Calls to the services, by gRPC method and status code.",
            ("method", "code"),
        )
        self.grpc_duration = Histogram(
            "gateway_grpc_client_call_duration_seconds",
            "Time a call to a service took, by gRPC method and status code.",
            ("method", "code"),
        )
        self.balance_fast_reads = Counter(
            "gateway_balance_fast_reads_total",
            "Balance reads the fast path answered itself, or handed over to the route.",
            ("outcome",),
        )
        self.recent_calls = RecentCalls()
        for metric in (
            self.http_requests,
            self.http_duration,
            self.http_in_flight,
            self.grpc_calls,
            self.grpc_duration,
            self.balance_fast_reads,
        ):
            self.registry.add(metric)

    def observe_http(self, method: str, route: str, status: int, seconds: float) -> None:
        labels = (method, route, str(status))
        self.http_requests.inc(labels)
        self.http_duration.observe(labels, seconds)
