"""An evaluator of Kubernetes NetworkPolicies over rendered manifests, for offline tests.

It follows the API's semantics (networking.k8s.io/v1): a connection is allowed when the
source may send it (no policy selects the source for Egress, or a rule of one that does
matches the destination and port) and the destination may accept it (the same for
Ingress). Peers select pods by podSelector in the policy's namespace, by
namespaceSelector (with an optional podSelector) anywhere, or addresses by ipBlock,
which here only ever matches endpoints outside the cluster. Kubelet probes and
port-forwarding bypass policies in practice and are not modelled.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

Policy = dict[str, Any]
Labels = Mapping[str, str]


@dataclass(frozen=True)
class Port:
    number: int
    protocol: str = "TCP"
    name: str | None = None


@dataclass(frozen=True)
class Endpoint:
    """A pod (namespace set) or an address outside the cluster (ip set)."""

    name: str
    namespace: str | None = None
    labels: Labels = field(default_factory=dict)
    namespace_labels: Labels = field(default_factory=dict)
    ports: tuple[Port, ...] = ()
    ip: str | None = None


def pod(name: str, namespace: str, labels: Labels, ports: Iterable[Port] = ()) -> Endpoint:
    ns_labels = {"kubernetes.io/metadata.name": namespace}
    return Endpoint(name, namespace, dict(labels), ns_labels, tuple(ports))


def selects(selector: Mapping[str, Any], labels: Labels) -> bool:
    """A label selector: matchLabels and matchExpressions, all of them; {} selects all."""
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expr in selector.get("matchExpressions", []):
        key, op, values = expr["key"], expr["operator"], expr.get("values", [])
        present = key in labels
        ok = {
            "In": present and labels.get(key) in values,
            "NotIn": not present or labels.get(key) not in values,
            "Exists": present,
            "DoesNotExist": not present,
        }[op]
        if not ok:
            return False
    return True


def peer_matches(peer: Mapping[str, Any], policy_namespace: str, endpoint: Endpoint) -> bool:
    if "ipBlock" in peer:
        if endpoint.ip is None:
            return False
        address = ipaddress.ip_address(endpoint.ip)
        block = peer["ipBlock"]
        inside = address in ipaddress.ip_network(block["cidr"])
        return inside and not any(
            address in ipaddress.ip_network(e) for e in block.get("except", [])
        )
    if endpoint.namespace is None:
        return False
    if "namespaceSelector" in peer:
        in_namespace = selects(peer["namespaceSelector"], endpoint.namespace_labels)
    else:
        in_namespace = endpoint.namespace == policy_namespace
    return in_namespace and selects(peer.get("podSelector", {}), endpoint.labels)


def ports_match(rule_ports: list[Mapping[str, Any]] | None, target: Endpoint, port: Port) -> bool:
    if not rule_ports:
        return True
    for rp in rule_ports:
        if rp.get("protocol", "TCP") != port.protocol:
            continue
        wanted = rp.get("port")
        if wanted is None:
            return True
        if isinstance(wanted, str):
            if wanted == port.name and port in target.ports:
                return True
        elif wanted <= port.number <= rp.get("endPort", wanted):
            return True
    return False


def policy_types(policy: Policy) -> list[str]:
    spec = policy["spec"]
    if "policyTypes" in spec:
        types: list[str] = spec["policyTypes"]
        return types
    return ["Ingress", "Egress"] if "egress" in spec else ["Ingress"]


def _direction_allows(
    policies: Iterable[Policy], subject: Endpoint, direction: str, *, peer: Endpoint, port: Port
) -> bool:
    """Whether `subject`'s policies of `direction` let it talk to `peer` on `port`."""
    if subject.namespace is None:
        return True  # outside the cluster: no policy applies
    rules_key, peers_key = ("ingress", "from") if direction == "Ingress" else ("egress", "to")
    governing = [
        p
        for p in policies
        if p["metadata"].get("namespace") == subject.namespace
        and direction in policy_types(p)
        and selects(p["spec"]["podSelector"], subject.labels)
    ]
    if not governing:
        return True
    destination = subject if direction == "Ingress" else peer
    for policy in governing:
        namespace = policy["metadata"]["namespace"]
        for rule in policy["spec"].get(rules_key) or []:
            peers = rule.get(peers_key)
            if peers and not any(peer_matches(p, namespace, peer) for p in peers):
                continue
            if ports_match(rule.get("ports"), destination, port):
                return True
    return False


def allowed(policies: Iterable[Policy], source: Endpoint, target: Endpoint, port: Port) -> bool:
    policies = list(policies)
    return _direction_allows(
        policies, source, "Egress", peer=target, port=port
    ) and _direction_allows(policies, target, "Ingress", peer=source, port=port)


def reachable(
    policies: Iterable[Policy], sources: Iterable[Endpoint], targets: Iterable[Endpoint]
) -> set[tuple[str, str, int, str]]:
    """Every (source, target, port, protocol) the policies allow, over the targets' ports."""
    policies = list(policies)
    targets = list(targets)
    return {
        (s.name, t.name, port.number, port.protocol)
        for s in sources
        for t in targets
        for port in t.ports
        if allowed(policies, s, t, port)
    }
