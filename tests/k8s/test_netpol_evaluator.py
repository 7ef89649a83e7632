"""The NetworkPolicy evaluator the policy tests rely on, against the API's own rules."""

from __future__ import annotations

from typing import Any

from tests.k8s.netpol import Endpoint, Port, allowed, pod

WEB = pod("web", "shop", {"app": "web"}, [Port(8080, "TCP", "http")])
API = pod("api", "shop", {"app": "api"}, [Port(9000)])
OTHER = pod("other", "tools", {"app": "web"})


def policy(namespace: str, select: dict[str, str], **spec: Any) -> dict[str, Any]:
    return {
        "metadata": {"name": "p", "namespace": namespace},
        "spec": {"podSelector": {"matchLabels": select}, **spec},
    }


def test_a_pod_no_policy_selects_accepts_and_opens_every_connection() -> None:
    assert allowed([], API, WEB, Port(8080))


def test_a_policy_with_no_ingress_rules_denies_every_incoming_connection() -> None:
    deny = policy("shop", {"app": "web"}, policyTypes=["Ingress"])
    assert not allowed([deny], API, WEB, Port(8080))
    assert allowed([deny], WEB, API, Port(9000))


def test_a_pod_selector_alone_matches_pods_of_the_policys_own_namespace_only() -> None:
    rule = {"from": [{"podSelector": {"matchLabels": {"app": "web"}}}]}
    only_web = policy("shop", {"app": "api"}, ingress=[rule])
    assert allowed([only_web], WEB, API, Port(9000))
    assert not allowed([only_web], OTHER, API, Port(9000))


def test_a_named_port_resolves_against_the_destinations_container_ports() -> None:
    rule = {"ports": [{"port": "http"}]}
    http_only = policy("shop", {"app": "web"}, ingress=[rule])
    assert allowed([http_only], API, WEB, Port(8080, "TCP", "http"))
    assert not allowed([http_only], API, WEB, Port(8080, "UDP", "http"))


def test_egress_must_be_allowed_by_the_source_as_well_as_ingress_by_the_destination() -> None:
    closed = policy("shop", {"app": "api"}, policyTypes=["Egress"])
    assert not allowed([closed], API, WEB, Port(8080))


def test_an_ip_block_matches_addresses_outside_the_cluster_and_not_its_exceptions() -> None:
    rule = {"to": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}}]}
    out = policy("shop", {"app": "api"}, policyTypes=["Egress"], egress=[rule])
    assert allowed([out], API, Endpoint("db", ip="10.2.3.4"), Port(5432))
    assert not allowed([out], API, Endpoint("db", ip="10.1.3.4"), Port(5432))
    assert not allowed([out], API, WEB, Port(8080))
