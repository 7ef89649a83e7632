"""The NetworkPolicies of every overlay, evaluated offline: who may reach whom, on what.

Endpoints are the pods the overlay runs (with the ports their containers declare), a
few outsiders (a stray pod in the namespace, a pod in another namespace that copies the
gateway's labels, the ingress controller), the cluster DNS, and addresses outside the
cluster: one on the internet and one inside each ipBlock the policies name.
"""

from __future__ import annotations

import copy
import ipaddress
from collections.abc import Iterator

import pytest

from tests.k8s.manifests import (
    APPS,
    OVERLAY_NAMES,
    Objects,
    Workload,
    namespace_of,
    of_kind,
    render,
    workloads,
)
from tests.k8s.netpol import Endpoint, Port, allowed, pod, reachable

Edge = tuple[str, str, int, str]

INGRESS_NAMESPACE = "ingress-nginx"
DNS = pod(
    "kube-dns",
    "kube-system",
    {"k8s-app": "kube-dns"},
    [Port(53, "UDP", "dns"), Port(53, "TCP", "dns-tcp")],
)
INTERNET = Endpoint("internet", ip="93.184.215.14", ports=(Port(443), Port(27017)))
GRPC_PORTS = {"member": 50051, "points": 50052, "campaign": 50053, "analytics": 50054}
DATASTORE_PORTS = {"mongodb": 27017, "nats": 4222, "redis": 6379}
MONITORING_NAMESPACE = "monitoring"
# Where Prometheus scrapes each process's /metrics (the gateway serves it with its API).
METRICS_PORTS = {
    "member": 9464,
    "points": 9464,
    "campaign": 9464,
    "analytics": 9464,
    "gateway": 8000,
}


def endpoint(w: Workload, namespace: str) -> Endpoint:
    ports = [
        Port(p["containerPort"], p.get("protocol", "TCP"), p.get("name"))
        for p in w.container_ports()
    ]
    return pod(w.name, namespace, w.labels, ports)


def stray(namespace: str) -> Endpoint:
    return pod("stray-pod", namespace, {"app.kubernetes.io/name": "debug-shell"})


# The internet beyond private ranges: where the gateway delivers webhooks (INTERNET).
ANYWHERE = "0.0.0.0/0"


def impostor() -> Endpoint:
    return pod("gateway-elsewhere", "shop", {"app.kubernetes.io/name": "gateway"})


def ingress_controller() -> Endpoint:
    return pod("ingress-controller", INGRESS_NAMESPACE, {"app.kubernetes.io/name": "ingress-nginx"})


def prometheus() -> Endpoint:
    return pod("prometheus", MONITORING_NAMESPACE, {"app.kubernetes.io/name": "prometheus"})


def grafana() -> Endpoint:
    """Another pod of the monitoring namespace: it may scrape nothing."""
    return pod("grafana", MONITORING_NAMESPACE, {"app.kubernetes.io/name": "grafana"})


def ip_blocks(objects: Objects) -> Iterator[Endpoint]:
    """One address inside each ipBlock the policies name, with the rule's ports."""
    for policy in of_kind(objects, "NetworkPolicy").values():
        for rule in policy["spec"].get("egress", []):
            for peer in rule.get("to", []):
                if "ipBlock" in peer and peer["ipBlock"]["cidr"] != ANYWHERE:
                    network = ipaddress.ip_network(peer["ipBlock"]["cidr"])
                    yield Endpoint(
                        f"ipBlock {network}",
                        ip=str(next(network.hosts())),
                        ports=tuple(
                            Port(p["port"], p.get("protocol", "TCP")) for p in rule["ports"]
                        ),
                    )


def pods(objects: Objects) -> dict[str, Endpoint]:
    namespace = namespace_of(objects)
    return {w.name: endpoint(w, namespace) for w in workloads(objects)}


def paths(objects: Objects) -> set[Edge]:
    """What the policies allow: from every pod of the namespace to every target, and from
    outsiders into the namespace."""
    policies = list(of_kind(objects, "NetworkPolicy").values())
    inside = [*pods(objects).values(), stray(namespace_of(objects))]
    outside = [DNS, INTERNET, *ip_blocks(objects)]
    return reachable(policies, inside, inside + outside) | reachable(
        policies, [impostor(), ingress_controller(), prometheus(), grafana()], inside
    )


def calls(caller: str) -> set[str]:
    """The services a process may call: the three core services call each other and the
    gateway calls them all; analytics is called by the gateway alone and calls only the
    member service (tenants' time zones) and the campaign service (segments' members)."""
    if caller == "analytics":
        return {"member", "campaign"}
    return {s for s in GRPC_PORTS if s != caller and (s != "analytics" or caller == "gateway")}


def needed(objects: Objects) -> set[Edge]:
    """The paths the platform needs, and nothing else."""
    namespace_pods = [*pods(objects), "stray-pod"]
    edges: set[Edge] = {
        (p, DNS.name, 53, proto) for p in namespace_pods for proto in ("UDP", "TCP")
    }
    edges.add(("ingress-controller", "gateway", 8000, "TCP"))
    edges |= {("prometheus", app, port, "TCP") for app, port in METRICS_PORTS.items()}
    # the console's status card (GET /v1/admin/platform/health) reads the services' figures
    edges |= {
        ("gateway", app, port, "TCP") for app, port in METRICS_PORTS.items() if app != "gateway"
    }
    for caller in APPS:
        edges |= {(caller, svc, GRPC_PORTS[svc], "TCP") for svc in calls(caller)}
    running = set(pods(objects))
    for store, port in DATASTORE_PORTS.items():
        if store in running:
            edges |= {(app, store, port, "TCP") for app in APPS}
    if "mongodb" in running:
        edges |= {("mongodb", "mongodb", 27017, "TCP"), ("mongodb-init", "mongodb", 27017, "TCP")}
    if "nats" in running:
        edges.add(("nats", "nats", 6222, "TCP"))
    for block in ip_blocks(objects):
        edges |= {(app, block.name, p.number, p.protocol) for app in APPS for p in block.ports}
    edges.add(("gateway", INTERNET.name, 443, "TCP"))  # webhook deliveries
    return edges


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_the_policies_allow_exactly_the_paths_the_platform_needs(overlay: str) -> None:
    objects = render(overlay)
    actual, expected = paths(objects), needed(objects)
    assert (sorted(actual - expected), sorted(expected - actual)) == ([], [])


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_the_gateway_delivers_webhooks_to_the_internet_but_not_into_private_ranges(
    overlay: str,
) -> None:
    policies = list(of_kind(render(overlay), "NetworkPolicy").values())
    gateway = pods(render(overlay))["gateway"]
    private = [
        Endpoint(f"private {ip}", ip=ip, ports=(Port(443, "TCP"),))
        for ip in ("10.1.2.3", "172.20.0.5", "192.168.1.1", "169.254.169.254")
    ]

    reached = reachable(policies, [gateway], [INTERNET, *private])

    assert reached == {("gateway", INTERNET.name, 443, "TCP")}


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_the_gateway_may_call_the_member_service_on_its_grpc_port(overlay: str) -> None:
    objects = render(overlay)
    policies, by_name = of_kind(objects, "NetworkPolicy").values(), pods(objects)
    assert allowed(policies, by_name["gateway"], by_name["member"], Port(50051))
    assert not allowed(policies, by_name["gateway"], by_name["member"], Port(50052))


@pytest.mark.parametrize("overlay", ["dev", "staging"])
def test_the_campaign_service_may_reach_the_in_cluster_mongodb(overlay: str) -> None:
    objects = render(overlay)
    policies, by_name = of_kind(objects, "NetworkPolicy").values(), pods(objects)
    assert allowed(policies, by_name["campaign"], by_name["mongodb"], Port(27017))


def test_in_prod_the_processes_reach_managed_datastores_outside_the_cluster_and_nothing_else() -> (
    None
):
    objects = render("prod")
    policies, by_name = of_kind(objects, "NetworkPolicy").values(), pods(objects)
    blocks = list(ip_blocks(objects))
    assert {p.number for b in blocks for p in b.ports} == set(DATASTORE_PORTS.values())
    for block in blocks:
        assert allowed(policies, by_name["campaign"], block, block.ports[0])
        assert not allowed(policies, stray("loyalty"), block, block.ports[0])
    assert not allowed(policies, by_name["campaign"], INTERNET, Port(27017))


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_an_arbitrary_pod_in_the_namespace_cannot_call_the_member_service(overlay: str) -> None:
    objects = render(overlay)
    policies, member = of_kind(objects, "NetworkPolicy").values(), pods(objects)["member"]
    assert not allowed(policies, stray(namespace_of(objects)), member, Port(50051))


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_a_pod_of_another_namespace_wearing_the_gateways_labels_cannot_call_a_service(
    overlay: str,
) -> None:
    objects = render(overlay)
    policies, member = of_kind(objects, "NetworkPolicy").values(), pods(objects)["member"]
    assert not allowed(policies, impostor(), member, Port(50051))


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_namespace_starts_from_a_default_deny_of_both_directions(overlay: str) -> None:
    deny_all = [
        p
        for p in of_kind(render(overlay), "NetworkPolicy").values()
        if p["spec"]["podSelector"] == {}
        and set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"}
        and not p["spec"].get("ingress")
        and not p["spec"].get("egress")
    ]
    assert len(deny_all) == 1


def test_a_wrong_port_in_a_policy_shows_up_as_a_missing_and_an_extra_path() -> None:
    objects = copy.deepcopy(render("dev"))
    member_policy = of_kind(objects, "NetworkPolicy")["member"]
    member_policy["spec"]["ingress"][0]["ports"][0]["port"] = 50052
    actual, expected = paths(objects), needed(objects)
    assert ("gateway", "member", 50051, "TCP") in expected - actual
    assert actual - expected == set()  # member declares no port 50052, so nothing opens


def test_opening_the_gateway_to_every_namespace_shows_up_as_an_extra_path() -> None:
    objects = copy.deepcopy(render("dev"))
    gateway_policy = of_kind(objects, "NetworkPolicy")["gateway"]
    gateway_policy["spec"]["ingress"][0]["from"] = [{"namespaceSelector": {}}]
    assert paths(objects) - needed(objects) == {
        ("gateway-elsewhere", "gateway", 8000, "TCP"),
        ("grafana", "gateway", 8000, "TCP"),
    }
