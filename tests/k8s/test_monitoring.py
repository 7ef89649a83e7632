"""The monitoring that ships with deploy/k8s, checked offline: every process is scraped
where it serves its metrics, every alert rule and dashboard query names metrics the code
exports, and a deliberate mistake in either is caught."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.k8s.manifests import (
    APPS,
    OVERLAY_NAMES,
    env_value,
    of_kind,
    port_matches,
    render,
    workload,
)
from tests.k8s.monitoring import (
    dashboard_problems,
    load_dashboard,
    load_rules,
    rule_problems,
    runbook_anchors,
)
from tests.k8s.promql import exported_metrics

SERVICES = ("member", "points", "campaign")


def test_every_metric_the_platform_exports_is_named_as_prometheus_asks() -> None:
    for name, (kind, labels) in exported_metrics().items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name), name
        assert name.endswith("_total") == (kind == "counter"), name
        assert kind != "histogram" or name.endswith("_seconds"), name
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", label) for label in labels), name


def test_every_alert_rule_parses_and_names_exported_metrics_a_duration_and_a_runbook() -> None:
    rules = load_rules()

    assert rule_problems(rules, exported_metrics(), runbook_anchors()) == []
    alerts = {r["alert"] for g in rules["groups"] for r in g["rules"]}
    assert {
        "LoyaltyApiErrorRate",
        "LoyaltyPurchaseLatencyOverObjective",
        "LoyaltyConsumerLag",
        "LoyaltyOutboxBacklog",
        "LoyaltyReconciliationDrift",
        "LoyaltyCertificateExpiringSoon",
    } <= alerts


def test_the_dashboard_follows_the_schema_and_queries_exported_metrics_only() -> None:
    dashboard = load_dashboard()

    assert dashboard_problems(dashboard, exported_metrics()) == []
    queried = " ".join(t["expr"] for p in dashboard["panels"] for t in p.get("targets", []))
    for family in ("gateway_http", "grpc_server", "outbox_", "event_consumer", "loyalty_orders"):
        assert family in queried


def first_rule(rules: dict[str, Any]) -> dict[str, Any]:
    rule: dict[str, Any] = rules["groups"][0]["rules"][0]
    return rule


def expr(text: str) -> Callable[[dict[str, Any]], None]:
    return lambda rules: first_rule(rules).update(expr=text)


def no_for(rules: dict[str, Any]) -> None:
    first_rule(rules).pop("for")


def unknown_severity(rules: dict[str, Any]) -> None:
    first_rule(rules)["labels"]["severity"] = "critical"


def no_summary(rules: dict[str, Any]) -> None:
    first_rule(rules)["annotations"].pop("summary")


def runbook_elsewhere(rules: dict[str, Any]) -> None:
    first_rule(rules)["annotations"]["runbook_url"] = "docs/operations.md#nowhere"


@pytest.mark.parametrize(
    ("spoil", "problem"),
    [
        (expr("rate(gateway_http_request_total[5m]) > 1"), "not a metric"),
        (expr('sum(rate(grpc_server_handled_total{code="OK"}[5m]))'), "no series has the label"),
        (expr("sum(rate(outbox_published_events_total[5m])"), "unclosed"),
        (expr("rate(outbox_published_events_total[five])"), "bad range"),
        (expr("sum(ratee(outbox_published_events_total[5m]))"), "unknown function"),
        (no_for, "no `for` duration"),
        (unknown_severity, "severity"),
        (no_summary, "no summary"),
        (runbook_elsewhere, "is no section"),
    ],
)
def test_a_deliberate_mistake_in_a_rule_is_reported(
    spoil: Callable[[dict[str, Any]], None], problem: str
) -> None:
    rules = copy.deepcopy(load_rules())
    spoil(rules)

    found = rule_problems(rules, exported_metrics(), runbook_anchors())

    assert any(problem in p for p in found), found


def test_a_panel_querying_a_metric_nobody_exports_is_reported() -> None:
    dashboard = copy.deepcopy(load_dashboard())
    panel = next(p for p in dashboard["panels"] if p["type"] != "row")
    panel["targets"][0]["expr"] = "sum(rate(http_requests_total[5m]))"
    dashboard["panels"].append({"id": 999, "type": "graph", "title": "old", "gridPos": {}})

    found = dashboard_problems(dashboard, exported_metrics())

    assert any("http_requests_total is not a metric" in p for p in found), found
    assert any(p.startswith("schema:") for p in found), found


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_process_is_scraped_on_the_port_it_serves_its_metrics_on(overlay: str) -> None:
    objects = render(overlay)
    for app in APPS:
        w = workload(objects, app)
        annotations = w.obj["spec"]["template"]["metadata"].get("annotations", {})
        (container,) = w.containers(init=False)
        port = annotations.get("prometheus.io/port", "")
        served = env_value(container, "GATEWAY_PORT" if app == "gateway" else "METRICS_PORT")

        assert annotations.get("prometheus.io/scrape") == "true", app
        assert annotations.get("prometheus.io/path") == "/metrics", app
        assert port == served, app
        assert port_matches(container, int(port)), app


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_overlay_ships_the_alert_rules_scrape_job_and_dashboard(overlay: str) -> None:
    config_maps = of_kind(render(overlay), "ConfigMap")

    rules = config_maps["loyalty-alert-rules"]["data"]
    dashboard = config_maps["loyalty-dashboard"]

    assert {"loyalty.rules.yaml", "loyalty.scrape.yaml"} <= set(rules)
    assert "loyalty.json" in dashboard["data"]
    assert dashboard["metadata"]["labels"]["grafana_dashboard"] == "1"
