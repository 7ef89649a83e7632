"""Checks of the way in: the gateway's Ingress, its controller, TLS and the path to the pods.

Like tests/k8s/wiring.py, each check returns the problems it finds.
"""

from __future__ import annotations

from collections.abc import Iterator

from tests.k8s.manifests import Manifest, Objects, of_kind, workloads
from tests.k8s.netpol import Port, allowed, pod

# The namespace each ingress class's controller runs in, as its install puts it.
CONTROLLER_NAMESPACES = {"nginx": "ingress-nginx"}
UNSET_HOST = "gateway.invalid"
# TLS Secrets an overlay expects the cluster to hold (cert-manager or the secret store),
# as its kustomization.yaml and deploy/k8s/README.md say; never declared in git.
EXTERNAL_TLS_SECRETS = {
    "dev": {"loyalty-gateway-tls"},
    "staging": {"loyalty-gateway-tls"},
    "prod": {"loyalty-gateway-tls"},
}


def backends(ingress: Manifest) -> Iterator[Manifest]:
    """The Service backends of the default backend and of every rule's paths."""
    spec = ingress["spec"]
    if "defaultBackend" in spec:
        yield spec["defaultBackend"]
    for rule in spec.get("rules", []):
        for path in rule.get("http", {}).get("paths", []):
            yield path["backend"]


def target_port(objects: Objects, service: Manifest, port: Manifest) -> int | None:
    """The container port number a Service port sends to, in the pods it selects."""
    target = port.get("targetPort", port["port"])
    selector = service["spec"]["selector"].items()
    for w in workloads(objects):
        if selector <= w.labels.items():
            for declared in w.container_ports():
                if target in (declared["containerPort"], declared.get("name")):
                    number: int = declared["containerPort"]
                    return number
    return None


def backend_problems(objects: Objects, name: str, ingress: Manifest) -> list[str]:
    """Each backend names a Service of the overlay and one of its ports, and the
    controller's namespace may reach the pods behind it on that port."""
    services = of_kind(objects, "Service")
    policies = list(of_kind(objects, "NetworkPolicy").values())
    controller_ns = CONTROLLER_NAMESPACES.get(ingress["spec"].get("ingressClassName", ""))
    problems = []
    for backend in backends(ingress):
        wanted = backend["service"]["name"]
        service = services.get(wanted)
        if service is None:
            problems.append(f"Ingress/{name} sends to {wanted}, which is not a Service")
            continue
        port_ref = backend["service"]["port"]
        ref = port_ref.get("name", port_ref.get("number"))
        ports = [p for p in service["spec"]["ports"] if ref in (p.get("name"), p["port"])]
        if not ports:
            problems.append(f"Ingress/{name} sends to port {ref} of {wanted}, which has none")
            continue
        number = target_port(objects, service, ports[0])
        if number is None or controller_ns is None:
            continue  # the Service's own check, or the class check, reports it
        controller = pod("controller", controller_ns, {"app.kubernetes.io/name": "controller"})
        selector = service["spec"]["selector"].items()
        for w in (w for w in workloads(objects) if selector <= w.labels.items()):
            target = pod(w.name, str(w.obj["metadata"].get("namespace", "")), w.labels)
            if not allowed(policies, controller, target, Port(number)):
                problems.append(f"the {controller_ns} namespace may not reach {w.name}:{number}")
    return problems


def tls_problems(objects: Objects, overlay: str, name: str, ingress: Manifest) -> list[str]:
    """Every host is served over TLS, from a Secret the overlay documents."""
    spec = ingress["spec"]
    tls_hosts = {host for entry in spec.get("tls", []) for host in entry.get("hosts", [])}
    problems = [
        f"Ingress/{name} serves {rule.get('host', '*')} without TLS"
        for rule in spec.get("rules", [])
        if rule.get("host") not in tls_hosts
    ]
    declared = set(of_kind(objects, "Secret"))
    for entry in spec.get("tls", []):
        secret = entry.get("secretName")
        if secret not in EXTERNAL_TLS_SECRETS.get(overlay, set()) | declared:
            problems.append(f"Ingress/{name} takes its certificate from {secret}, undocumented")
    return problems


# Paths for the cluster only (the scraper, the probes): no Ingress may lead to them.
PRIVATE_PATHS = ("/metrics", "/readyz", "/healthz")
# What the outside must reach.
PUBLIC_PATHS = (
    *("/v1/members", "/v1/auth/sessions", "/console", "/console/static/x.js"),
    *("/till", "/m", "/v1/tenants/demo/branding"),
)


def routes(ingress: Manifest, request_path: str) -> bool:
    """Whether the Ingress sends `request_path` to a backend (Kubernetes' matching: Exact is
    the whole path, Prefix whole path elements; ImplementationSpecific taken as Prefix)."""
    if "defaultBackend" in ingress["spec"]:
        return True
    return any(
        _matches(path, request_path)
        for rule in ingress["spec"].get("rules", [])
        for path in rule.get("http", {}).get("paths", [])
    )


def _matches(path: Manifest, request_path: str) -> bool:
    wanted: str = path.get("path", "/")
    if path.get("pathType") == "Exact":
        return request_path == wanted
    prefix = wanted.rstrip("/")
    return request_path.rstrip("/") == prefix or request_path.startswith(prefix + "/")


def exposure_problems(name: str, ingress: Manifest) -> list[str]:
    problems = [f"Ingress/{name} exposes {p}" for p in PRIVATE_PATHS if routes(ingress, p)]
    problems += [
        f"Ingress/{name} does not route {p}" for p in PUBLIC_PATHS if not routes(ingress, p)
    ]
    return problems


def ingress_problems(objects: Objects, overlay: str) -> list[str]:
    """The overlay's Ingresses: a class its controller claims, real hosts, TLS, backends,
    and nothing for the cluster only (metrics, probes) reachable from outside."""
    problems = []
    for name, ingress in of_kind(objects, "Ingress").items():
        spec = ingress["spec"]
        ingress_class = spec.get("ingressClassName")
        if ingress_class not in CONTROLLER_NAMESPACES:
            problems.append(f"Ingress/{name} has the class {ingress_class}, no known controller")
        hosts = [rule.get("host") for rule in spec.get("rules", [])]
        if UNSET_HOST in hosts or None in hosts:
            problems.append(f"Ingress/{name} has no host of its own: {hosts}")
        problems += tls_problems(objects, overlay, name, ingress)
        problems += backend_problems(objects, name, ingress)
        problems += exposure_problems(name, ingress)
    return problems
