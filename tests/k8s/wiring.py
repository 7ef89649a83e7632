"""Checks that the rendered objects fit together, each returning the problems it finds.

They return problems instead of asserting so that a test can show each one catching a
deliberate mistake, not only passing on the real manifests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic_settings import BaseSettings

from gateway.settings import GatewaySettings
from libs.settings import CommonSettings
from services.analytics.settings import AnalyticsSettings
from services.campaign.settings import CampaignSettings
from services.member.settings import MemberSettings
from services.points.settings import PointsSettings
from tests.k8s.ingress import ingress_problems
from tests.k8s.manifests import (
    APPS,
    Manifest,
    Objects,
    app_containers,
    env_value,
    of_kind,
    port_matches,
    secret_data,
    workloads,
)
from tests.k8s.trust import trust_problems

# MONGO_URL is not among them: each process has its own, in loyalty-mongodb-users.
DATASTORE_URLS = frozenset({"NATS_URL", "REDIS_URL"})
NATS_USERS = frozenset(APPS)
MONGO_USERS = frozenset(APPS)
# Each process's mutual-TLS files, as cert-manager writes them (components/cert-manager),
# in every overlay: no certificate or key is kept in git, not even dev's.
TLS_SECRETS = {f"loyalty-{app}-mtls": frozenset({"ca.crt", "tls.crt", "tls.key"}) for app in APPS}
# Secrets an overlay expects the cluster to hold already, as its kustomization.yaml and
# deploy/k8s/README.md say. Only dev declares Secrets in git (placeholders).
EXTERNAL_SECRETS: dict[str, dict[str, frozenset[str]]] = {
    "dev": TLS_SECRETS,
    "prod": {
        "loyalty-datastores": DATASTORE_URLS,
        "loyalty-member-pii": frozenset({"MEMBER_PII_KEY"}),
        "loyalty-nats-users": NATS_USERS,
        "loyalty-mongodb-users": MONGO_USERS,
        **TLS_SECRETS,
    },
    "staging": {
        "loyalty-datastores": DATASTORE_URLS,
        "loyalty-member-pii": frozenset({"MEMBER_PII_KEY"}),
        "loyalty-nats-users": NATS_USERS,
        "loyalty-mongodb-users": MONGO_USERS,
        **TLS_SECRETS,
        "loyalty-mongodb-auth": frozenset(
            {"keyfile", "MONGO_INITDB_ROOT_USERNAME", "MONGO_INITDB_ROOT_PASSWORD"}
        ),
        "loyalty-redis-auth": frozenset({"REDIS_PASSWORD"}),
    },
}
SETTINGS: dict[str, type[BaseSettings]] = {
    "member": MemberSettings,
    "points": PointsSettings,
    "campaign": CampaignSettings,
    "analytics": AnalyticsSettings,
    "gateway": GatewaySettings,
}
# Variables a container must get although the settings have a default, because the
# default is wrong in a pod (127.0.0.1, a console log format) or must be explicit, and
# the ones the services are about to require.
MUST_SET = {
    "member": {"GRPC_HOST", "GRPC_PORT", "MONGO_DB", "LOG_FORMAT", "MEMBER_PII_KEY"},
    "points": {"GRPC_HOST", "GRPC_PORT", "MONGO_DB", "LOG_FORMAT", "CAMPAIGN_ADDR"},
    "campaign": {"GRPC_HOST", "GRPC_PORT", "MONGO_DB", "LOG_FORMAT"},
    "analytics": {
        "GRPC_HOST",
        "GRPC_PORT",
        "MONGO_DB",
        "LOG_FORMAT",
        "MEMBER_ADDR",
        "CAMPAIGN_ADDR",
    },
    "gateway": {"GATEWAY_HOST", "GATEWAY_PORT", "MONGO_DB", "LOG_FORMAT"},
}
LISTEN_PORT_ENV = {"GRPC_PORT", "GATEWAY_PORT"}
DEFAULT_PORTS = {"mongodb": 27017, "nats": 4222, "redis": 6379, "rediss": 6379}
URL = re.compile(r"\b([a-z][a-z0-9+.-]*)://([^\s\"'/?#]+)")
# How many drain phases a process runs on SIGTERM, each up to SHUTDOWN_GRACE_SECONDS
# (libs/grpc/server.py: the server's calls, then the relay and consumers; uvicorn: one).
DRAIN_PHASES = {"member": 2, "points": 2, "campaign": 2, "analytics": 2, "gateway": 1}
DRAIN_MARGIN_SECONDS = 5


def required_env(app: str) -> set[str]:
    settings = SETTINGS[app]
    required = {name.upper() for name, f in settings.model_fields.items() if f.is_required()}
    return required | MUST_SET[app]


# -- addresses ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Address:
    source: str
    host: str
    port: int | None


def addresses(objects: Objects) -> Iterator[Address]:
    """Every `*_ADDR` and every URL host in the ConfigMaps and Secrets."""
    values = [
        (f"ConfigMap/{name}/{key}", value)
        for name, cm in of_kind(objects, "ConfigMap").items()
        for key, value in cm.get("data", {}).items()
    ] + [
        (f"Secret/{name}/{key}", value)
        for name, secret in of_kind(objects, "Secret").items()
        for key, value in secret_data(secret).items()
    ]
    for source, value in values:
        if source.endswith("_ADDR"):
            host, _, port = value.rpartition(":")
            yield Address(source, host, int(port))
        for scheme, authority in URL.findall(value):
            for hostport in authority.rpartition("@")[2].split(","):
                host, _, port = hostport.partition(":")
                if "$" not in host:  # a variable a script fills in
                    yield Address(source, host, int(port) if port else DEFAULT_PORTS.get(scheme))


def address_problems(objects: Objects) -> list[str]:
    """Each address names a Service of this overlay (or a StatefulSet pod behind a headless
    one) and one of its ports."""
    services = of_kind(objects, "Service")
    sets = of_kind(objects, "StatefulSet")
    problems = []
    for a in addresses(objects):
        pod, _, service_name = a.host.rpartition(".")
        service = services.get(service_name)
        if service is None or "." in pod:
            problems.append(f"{a.source}: {a.host} is not a Service of this overlay")
            continue
        if pod:
            headless = service["spec"].get("clusterIP") == "None"
            owners = [
                s
                for name, s in sets.items()
                if s["spec"].get("serviceName") == service_name
                and pod.startswith(f"{name}-")
                and pod.removeprefix(f"{name}-").isdigit()
                and int(pod.removeprefix(f"{name}-")) < s["spec"].get("replicas", 1)
            ]
            if not headless or not owners:
                problems.append(f"{a.source}: no pod {pod} behind a headless Service")
        if a.port not in [p["port"] for p in service["spec"]["ports"]]:
            problems.append(f"{a.source}: Service {service_name} has no port {a.port}")
    return problems


# -- Secrets -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SecretRef:
    user: str
    secret: str
    key: str | None  # None: every key (envFrom)


def secret_refs(objects: Objects) -> Iterator[SecretRef]:
    for w in workloads(objects):
        user = f"{w.kind}/{w.name}"
        for c in w.containers():
            for source in c.get("envFrom", []):
                if "secretRef" in source:
                    yield SecretRef(user, source["secretRef"]["name"], None)
            for env in c.get("env", []):
                ref = env.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    yield SecretRef(user, ref["name"], ref["key"])
        for volume in w.pod.get("volumes", []):
            if "secret" in volume:
                name = volume["secret"]["secretName"]
                for item in volume["secret"].get("items", [{"key": None}]):
                    yield SecretRef(user, name, item["key"])


def secret_keys(objects: Objects, overlay: str) -> dict[str, frozenset[str]]:
    declared = {n: frozenset(secret_data(s)) for n, s in of_kind(objects, "Secret").items()}
    return EXTERNAL_SECRETS.get(overlay, {}) | declared


def secret_problems(objects: Objects, overlay: str) -> list[str]:
    """Every Secret and key a pod uses is declared, or documented as external; the
    documentation lists no Secret nobody uses; only dev keeps Secrets in git."""
    external = EXTERNAL_SECRETS.get(overlay, {})
    declared = set(of_kind(objects, "Secret"))
    keys = secret_keys(objects, overlay)
    problems = [
        f"Secret/{name} is declared in git outside dev" for name in declared if overlay != "dev"
    ]
    problems += [
        f"Secret/{name} holds a certificate in git" for name in declared & set(TLS_SECRETS)
    ]
    used = set()
    for ref in secret_refs(objects):
        used.add(ref.secret)
        if ref.secret not in keys:
            problems.append(f"{ref.user} uses Secret {ref.secret}, which is not declared")
        elif ref.key is not None and ref.key not in keys[ref.secret]:
            problems.append(f"{ref.user} uses key {ref.key} of {ref.secret}, which has none")
    problems += [f"external Secret {name} is used by nothing" for name in set(external) - used]
    return problems


# -- environment, ports and probes -------------------------------------------------------


def env_names(objects: Objects, overlay: str, container: Manifest) -> set[str]:
    """The variables a container gets, from `env` and from what `envFrom` names."""
    config_maps = of_kind(objects, "ConfigMap")
    secrets = secret_keys(objects, overlay)
    names = {e["name"] for e in container.get("env", [])}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            names |= set(config_maps.get(source["configMapRef"]["name"], {}).get("data", {}))
        if "secretRef" in source:
            names |= secrets.get(source["secretRef"]["name"], frozenset())
    return names


def env_problems(objects: Objects, overlay: str) -> list[str]:
    """Every process gets the variables its settings require."""
    return [
        f"{app} lacks {sorted(missing)}"
        for app, _, c in app_containers(objects)
        if (missing := required_env(app) - env_names(objects, overlay, c))
    ]


def listen_problems(objects: Objects) -> list[str]:
    """Each process listens on a port its container declares."""
    problems = []
    for app, _, c in app_containers(objects):
        listen = [e["value"] for e in c.get("env", []) if e["name"] in LISTEN_PORT_ENV]
        if len(listen) != 1 or not port_matches(c, int(listen[0])):
            problems.append(f"{app} listens on {listen}, not a declared port")
    return problems


def probe_problems(objects: Objects) -> list[str]:
    """Long-running containers have readiness and liveness probes, on their own ports."""
    problems = []
    for w in workloads(objects):
        for c in w.containers(init=False):
            name = f"{w.kind}/{w.name}/{c['name']}"
            if w.long_running and not {"readinessProbe", "livenessProbe"} <= set(c):
                problems.append(f"{name} lacks a readiness or liveness probe")
            for kind in ("readinessProbe", "livenessProbe", "startupProbe"):
                probe = c.get(kind, {})
                handler = probe.get("grpc") or probe.get("httpGet") or probe.get("tcpSocket")
                if handler and not port_matches(c, handler["port"]):
                    problems.append(f"{name} {kind} probes port {handler['port']}")
    return problems


def service_problems(objects: Objects) -> list[str]:
    """Each Service selects the pods of exactly one workload and targets their ports."""
    problems = []
    for name, service in of_kind(objects, "Service").items():
        selector = service["spec"]["selector"].items()
        selected = [w for w in workloads(objects) if selector <= w.labels.items()]
        if len(selected) != 1:
            problems.append(f"Service/{name} selects {len(selected)} workloads")
            continue
        for port in service["spec"]["ports"]:
            target = port.get("targetPort", port["port"])
            if not any(port_matches(c, target) for c in selected[0].containers(init=False)):
                problems.append(f"Service/{name} targets {target}, which no container has")
    return problems


def drain_problems(objects: Objects) -> list[str]:
    """The termination grace covers the preStop pause and every drain phase."""
    config = of_kind(objects, "ConfigMap")
    grace_values = [
        cm["data"]["SHUTDOWN_GRACE_SECONDS"]
        for cm in config.values()
        if "SHUTDOWN_GRACE_SECONDS" in cm.get("data", {})
    ]
    default = CommonSettings.model_fields["shutdown_grace_seconds"].default
    shutdown = float(grace_values[0]) if grace_values else float(default)
    problems = []
    for app, w, c in app_containers(objects):
        pre_stop = c.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command", [])
        pause = float(pre_stop[1]) if pre_stop[:1] == ["sleep"] else 0.0
        needed = pause + DRAIN_PHASES[app] * shutdown + DRAIN_MARGIN_SECONDS
        grace = w.pod.get("terminationGracePeriodSeconds", 30)
        if grace < needed:
            problems.append(f"{app}: terminationGracePeriodSeconds {grace} < {needed}")
        if env_value(c, "SHUTDOWN_GRACE_SECONDS") is not None:
            problems.append(f"{app} overrides SHUTDOWN_GRACE_SECONDS outside loyalty-config")
    return problems


def wiring_problems(objects: Objects, overlay: str) -> list[str]:
    return (
        trust_problems(objects)
        + address_problems(objects)
        + secret_problems(objects, overlay)
        + env_problems(objects, overlay)
        + listen_problems(objects)
        + probe_problems(objects)
        + service_problems(objects)
        + drain_problems(objects)
        + ingress_problems(objects, overlay)
    )
