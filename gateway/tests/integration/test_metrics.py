from __future__ import annotations

from gateway.tests.integration.support import Gateway, new_tenant
from libs.ids import new_id
from tests.support.prometheus import parse, sample

GET_MEMBER = "/loyalty.member.v1.MemberService/GetMember"


async def test_metrics_need_no_key_and_use_the_prometheus_text_format(gateway: Gateway) -> None:
    response = await gateway.client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    parse(response.text)


async def test_a_request_is_counted_and_timed_by_route_template_and_status(
    gateway: Gateway,
) -> None:
    headers = await gateway.legacy_key(new_tenant(), "app")
    await gateway.client.get(f"/v1/members/{new_id()}", headers=headers)
    await gateway.client.get(f"/v1/members/{new_id()}", headers=headers)

    samples = parse((await gateway.client.get("/metrics")).text)

    labels = {"method": "GET", "route": "/v1/members/{member_id}", "status": "404"}
    assert sample(samples, "gateway_http_requests_total", **labels) == 2
    assert sample(samples, "gateway_http_request_duration_seconds_count", **labels) == 2
    assert sample(samples, "gateway_http_request_duration_seconds_bucket", le="+Inf", **labels) == 2


async def test_calls_to_the_services_are_timed_by_method_and_status_code(
    gateway: Gateway,
) -> None:
    headers = await gateway.legacy_key(new_tenant(), "app")
    await gateway.client.get(f"/v1/members/{new_id()}", headers=headers)

    samples = parse((await gateway.client.get("/metrics")).text)

    assert (
        sample(samples, "gateway_grpc_client_calls_total", method=GET_MEMBER, code="NOT_FOUND") == 1
    )
    count = "gateway_grpc_client_call_duration_seconds_count"
    assert sample(samples, count, method=GET_MEMBER, code="NOT_FOUND") == 1


async def test_unknown_paths_share_one_label_and_the_scrape_is_in_flight(
    gateway: Gateway,
) -> None:
    await gateway.client.get(f"/nothing/{new_id()}")
    await gateway.client.get(f"/nothing/{new_id()}")

    samples = parse((await gateway.client.get("/metrics")).text)

    labels = {"method": "GET", "route": "unmatched", "status": "404"}
    assert sample(samples, "gateway_http_requests_total", **labels) == 2
    assert samples[("gateway_http_requests_in_flight", frozenset())] == 1


async def test_the_gateway_times_its_mongodb_commands_and_shows_no_service_figures(
    gateway: Gateway,
) -> None:
    headers = await gateway.legacy_key(new_tenant(), "app")
    await gateway.client.get(f"/v1/members/{new_id()}", headers=headers)

    text = (await gateway.client.get("/metrics")).text

    names = {name for name, _ in parse(text)}
    assert "mongodb_command_duration_seconds_count" in names
    assert "# TYPE outbox_backlog_events" not in text
    assert "# TYPE grpc_server_handled_total" not in text
