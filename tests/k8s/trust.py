"""Components trusting each other in the rendered manifests: each process runs as
production, mounts its own certificate, and connects to NATS and MongoDB as its own user."""

from __future__ import annotations

import json
import re

from libs.stack.nats_auth import publish_allowed
from tests.k8s.manifests import (
    APPS,
    Manifest,
    Objects,
    Workload,
    app_containers,
    env_value,
    of_kind,
    workload,
)

TLS_MOUNT = "/etc/loyalty/tls"
TLS_FILES = {
    "GRPC_TLS_CA_FILE": f"{TLS_MOUNT}/ca.crt",
    "GRPC_TLS_CERT_FILE": f"{TLS_MOUNT}/tls.crt",
    "GRPC_TLS_KEY_FILE": f"{TLS_MOUNT}/tls.key",
}
AUTH_USER = re.compile(
    r"\{user: (\w+), password: \$(\w+), permissions: \{publish: \{(\w+): (\[.*?\])\}"
)


def secret_key_ref(container: Manifest, variable: str) -> tuple[str, str] | None:
    for env in container.get("env", []):
        ref = env.get("valueFrom", {}).get("secretKeyRef")
        if env["name"] == variable and ref:
            # A generated Secret's name ends in its content hash.
            name = re.sub(r"-[a-z0-9]{10}$", "", ref["name"])
            return name, ref["key"]
    return None


def _tls_secret(w: Workload, container: Manifest) -> str | None:
    mounted = {m["name"] for m in container.get("volumeMounts", []) if m["mountPath"] == TLS_MOUNT}
    for volume in w.pod.get("volumes", []):
        if volume["name"] in mounted and "secret" in volume:
            name: str = volume["secret"]["secretName"]
            return name
    return None


def trust_problems(objects: Objects) -> list[str]:
    """Each process runs as production (no plaintext), mounts its own certificate,
    connects to NATS as its own user, whom the NATS server lets publish only its events,
    and to MongoDB with its own URL (its own user, see datastores.py)."""
    config: dict[str, str] = next(
        (
            cm["data"]
            for n, cm in of_kind(objects, "ConfigMap").items()
            if n.startswith("loyalty-config")
        ),
        {},
    )
    problems = [f"loyalty-config lacks {k}={v}" for k, v in TLS_FILES.items() if config.get(k) != v]
    if config.get("ENVIRONMENT") != "production":
        problems.append("loyalty-config does not say ENVIRONMENT=production")
    for app, w, c in app_containers(objects):
        if env_value(c, "NATS_USER") != app:
            problems.append(f"{app} connects to NATS as {env_value(c, 'NATS_USER')}, not {app}")
        if secret_key_ref(c, "NATS_PASSWORD") != ("loyalty-nats-users", app):
            problems.append(f"{app} takes NATS_PASSWORD from {secret_key_ref(c, 'NATS_PASSWORD')}")
        if secret_key_ref(c, "MONGO_URL") != ("loyalty-mongodb-users", app):
            problems.append(f"{app} takes MONGO_URL from {secret_key_ref(c, 'MONGO_URL')}")
        if _tls_secret(w, c) != f"loyalty-{app}-mtls":
            problems.append(f"{app} mounts {_tls_secret(w, c)} at {TLS_MOUNT}")
    nats_configs = [
        cm for n, cm in of_kind(objects, "ConfigMap").items() if n.startswith("nats-config")
    ]
    if not nats_configs:
        return problems  # NATS outside the cluster: its operator keeps the same users
    users = {m[1]: m for m in AUTH_USER.finditer(nats_configs[0]["data"].get("auth.conf", ""))}
    nats = workload(objects, "nats").containers(init=False)[0]
    for app in APPS:
        user = users.get(app)
        if user is None:
            problems.append(f"NATS knows no user {app}")
            continue
        allowed = publish_allowed(app)
        if (user[3], json.loads(user[4])) != (("allow", allowed) if allowed else ("deny", [">"])):
            problems.append(f"NATS lets {app} publish {user[3]} {user[4]}")
        if secret_key_ref(nats, user[2]) != ("loyalty-nats-users", app):
            problems.append(f"NATS takes {app}'s password ${user[2]} from elsewhere")
    return problems
