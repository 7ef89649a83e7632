"""Each overlay lets the outside in through one Ingress for the gateway, over TLS.

The checks are tests/k8s/ingress.py; each mistake below, made on a copy of a rendered
overlay, produces the problem that names it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from tests.k8s.ingress import ingress_problems, routes
from tests.k8s.manifests import OVERLAY_NAMES, Manifest, Objects, of_kind, render

Mistake = Callable[[Objects], None]


def ingress(objects: Objects) -> Manifest:
    return of_kind(objects, "Ingress")["gateway"]


def backend(objects: Objects) -> Manifest:
    path: Manifest = ingress(objects)["spec"]["rules"][0]["http"]["paths"][0]
    service: Manifest = path["backend"]["service"]
    return service


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_overlay_routes_its_own_host_over_tls_to_the_gateway_service(overlay: str) -> None:
    objects = render(overlay)
    [name] = of_kind(objects, "Ingress")
    spec = ingress(objects)["spec"]

    assert name == "gateway"
    assert backend(objects) == {"name": "gateway", "port": {"name": "http"}}
    assert spec["ingressClassName"] == "nginx"
    assert spec["tls"] == [
        {"hosts": [spec["rules"][0]["host"]], "secretName": "loyalty-gateway-tls"}
    ]
    assert ingress_problems(objects, overlay) == []


def test_each_overlay_names_a_host_of_its_own() -> None:
    hosts = [ingress(render(overlay))["spec"]["rules"][0]["host"] for overlay in OVERLAY_NAMES]

    assert len(set(hosts)) == len(OVERLAY_NAMES)


def backend_to_a_missing_service(objects: Objects) -> None:
    backend(objects)["name"] = "gateways"


def backend_to_a_port_the_service_lacks(objects: Objects) -> None:
    backend(objects)["port"] = {"number": 8000}


def class_left_to_the_overlay(objects: Objects) -> None:
    ingress(objects)["spec"]["ingressClassName"] = "set-by-overlay"


def host_left_as_the_placeholder(objects: Objects) -> None:
    ingress(objects)["spec"]["rules"][0]["host"] = "gateway.invalid"


def host_without_a_certificate(objects: Objects) -> None:
    ingress(objects)["spec"]["tls"][0]["hosts"] = ["other.example.com"]


def undocumented_certificate(objects: Objects) -> None:
    ingress(objects)["spec"]["tls"][0]["secretName"] = "wildcard-cert"


def policy_admitting_another_controller(objects: Objects) -> None:
    policy = of_kind(objects, "NetworkPolicy")["gateway"]
    peer = policy["spec"]["ingress"][0]["from"][0]
    peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"] = "traefik"


def a_catch_all_path(objects: Objects) -> None:
    paths = ingress(objects)["spec"]["rules"][0]["http"]["paths"]
    paths.append({**paths[0], "path": "/", "pathType": "Prefix"})


def metrics_by_a_prefix(objects: Objects) -> None:
    paths = ingress(objects)["spec"]["rules"][0]["http"]["paths"]
    paths.append({**paths[0], "path": "/metrics", "pathType": "ImplementationSpecific"})


def the_api_left_out(objects: Objects) -> None:
    paths = ingress(objects)["spec"]["rules"][0]["http"]["paths"]
    paths[:] = [p for p in paths if p["path"] != "/v1"]


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_metrics_and_readiness_are_not_reachable_through_the_ingress(overlay: str) -> None:
    gateway = ingress(render(overlay))

    assert not routes(gateway, "/metrics")
    assert not routes(gateway, "/readyz")
    assert not routes(gateway, "/metricsx")
    assert routes(gateway, "/v1/members/m1/points")
    assert routes(gateway, "/openapi.json")


@pytest.mark.parametrize(
    ("mistake", "problem"),
    [
        (backend_to_a_missing_service, "sends to gateways, which is not a Service"),
        (backend_to_a_port_the_service_lacks, "sends to port 8000 of gateway, which has none"),
        (class_left_to_the_overlay, "has the class set-by-overlay, no known controller"),
        (host_left_as_the_placeholder, "has no host of its own"),
        (host_without_a_certificate, "serves loyalty.example.com without TLS"),
        (undocumented_certificate, "takes its certificate from wildcard-cert, undocumented"),
        (
            policy_admitting_another_controller,
            "the ingress-nginx namespace may not reach gateway:8000",
        ),
        (a_catch_all_path, "exposes /metrics"),
        (metrics_by_a_prefix, "exposes /metrics"),
        (the_api_left_out, "does not route /v1/members"),
    ],
)
def test_a_deliberate_mistake_in_prod_is_reported(mistake: Mistake, problem: str) -> None:
    objects = copy.deepcopy(render("prod"))
    mistake(objects)
    found = ingress_problems(objects, "prod")
    assert any(problem in p for p in found), found


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_only_production_turns_the_docs_ui_off(overlay: str) -> None:
    configs = of_kind(render(overlay), "ConfigMap")
    [config] = [c for name, c in configs.items() if name.startswith("loyalty-config")]

    assert (config["data"].get("API_DOCS_UI") == "false") == (overlay == "prod")
