from __future__ import annotations

from gateway.edge.metrics.instruments import GatewayMetrics
from tests.support.prometheus import parse


def test_the_gateway_metrics_render_with_help_and_type_before_any_request() -> None:
    text = GatewayMetrics().registry.render()

    assert "# TYPE gateway_http_requests_total counter" in text
    assert "# TYPE gateway_http_request_duration_seconds histogram" in text
    assert "# TYPE gateway_grpc_client_call_duration_seconds histogram" in text
    assert parse(text)[("gateway_http_requests_in_flight", frozenset())] == 0
