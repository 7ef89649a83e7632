"""Checks of the in-cluster datastores and of the keys the overlays hold, as problem lists.

What two places must agree on: the replica set's size in the StatefulSet and in its
init Job, the databases the init Job grants (each to the user of the process of that
name) and the ones the processes use, the NATS routes and the node count, the
credentials in the URLs and in the datastores' own Secrets (a MongoDB user per process,
none shared), and the personal-data key's shape.
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import parse_qs, urlsplit

from tests.k8s.manifests import (
    APPS,
    Manifest,
    Objects,
    env_value,
    of_kind,
    secret_data,
    workload,
)
from tests.k8s.trust import secret_key_ref

# The dev overlay's placeholder personal-data key, and the only one git may hold.
DEV_PII_KEY = b"dev-placeholder-not-for-prod-use"
PII_KEY_BYTES = 32
ROUTE = re.compile(r"nats://([a-z0-9-]+)\.nats-cluster:6222")


def _secret(objects: Objects, prefix: str) -> dict[str, str] | None:
    """A declared Secret's values, by its name before kustomize's hash suffix."""
    found = [s for name, s in of_kind(objects, "Secret").items() if name.startswith(prefix)]
    return secret_data(found[0]) if found else None


def _init_env(objects: Objects, name: str) -> str:
    value = env_value(workload(objects, "mongodb-init").pod["containers"][0], name)
    assert value is not None, f"mongodb-init sets no {name}"
    return value


def _mongod_arg(container: Manifest, flag: str) -> str | None:
    for arg in container.get("args", []):
        if arg.startswith(f"{flag}="):
            value: str = arg.partition("=")[2]
            return value
    return None


def replica_set_problems(objects: Objects) -> list[str]:
    """The init Job forms the set the StatefulSet runs, for the databases the apps use."""
    if "mongodb" not in of_kind(objects, "StatefulSet"):
        return []
    members = workload(objects, "mongodb")
    problems = []
    replicas = members.obj["spec"]["replicas"]
    if int(_init_env(objects, "MONGODB_REPLICAS")) != replicas:
        problems.append(f"mongodb-init forms a set of {_init_env(objects, 'MONGODB_REPLICAS')}")
    name = _init_env(objects, "MONGODB_REPLICA_SET")
    if _mongod_arg(members.pod["containers"][0], "--replSet") != name:
        problems.append(f"mongod does not run the replica set {name}")
    used = {env_value(workload(objects, app).pod["containers"][0], "MONGO_DB") for app in APPS}
    granted = set(_init_env(objects, "MONGODB_APP_DATABASES").split(","))
    if used != granted:
        problems.append(
            f"mongodb-init grants {sorted(granted)}, the apps use {sorted(map(str, used))}"
        )
    init = workload(objects, "mongodb-init").pod["containers"][0]
    for database in sorted(granted):
        source = secret_key_ref(init, f"MONGO_URL_{database.upper()}")
        if source != ("loyalty-mongodb-users", database):
            problems.append(f"mongodb-init gives {database} to the user of {source}")
    return problems


def nats_route_problems(objects: Objects) -> list[str]:
    """A cluster of n nodes routes to exactly its n pods; a single node has no cluster."""
    if "nats" not in of_kind(objects, "StatefulSet"):
        return []
    replicas = workload(objects, "nats").obj["spec"]["replicas"]
    configs = [cm for n, cm in of_kind(objects, "ConfigMap").items() if n.startswith("nats-config")]
    conf = configs[0]["data"]["nats.conf"]
    routes = set(ROUTE.findall(conf))
    if replicas == 1:
        return ["a single NATS node is configured as a cluster"] if "cluster {" in conf else []
    expected = {f"nats-{i}" for i in range(replicas)}
    return [] if routes == expected else [f"NATS routes {sorted(routes)} for {replicas} nodes"]


def mongo_user_problems(objects: Objects) -> list[str]:
    """Each process's MONGO_URL (when in git) carries a user named after it with a password
    of its own, for the replica set the cluster runs; no MONGO_URL is shared by all."""
    problems = []
    shared = _secret(objects, "loyalty-datastores")
    if shared is not None and "MONGO_URL" in shared:
        problems.append("loyalty-datastores carries a MONGO_URL for every process")
    urls = _secret(objects, "loyalty-mongodb-users")
    if urls is None:
        return problems
    in_cluster = "mongodb" in of_kind(objects, "StatefulSet")
    passwords = []
    for app in APPS:
        url = urlsplit(urls.get(app, ""))
        if url.username != app or not url.password:
            problems.append(f"{app}'s MONGO_URL carries the user {url.username}, not its own")
        passwords.append(url.password)
        replica_set = parse_qs(url.query).get("replicaSet")
        if in_cluster and replica_set != [_init_env(objects, "MONGODB_REPLICA_SET")]:
            problems.append(f"{app}'s MONGO_URL names another replica set")
    if len(set(passwords)) != len(passwords):
        problems.append("two processes' MongoDB users share a password")
    return problems


def credential_problems(objects: Objects) -> list[str]:
    """The URLs carry the credentials the datastores were given (when both are in git)."""
    problems = mongo_user_problems(objects)
    urls = _secret(objects, "loyalty-datastores")
    if urls is None:
        return problems
    nats, redis = (urlsplit(urls[k]) for k in ("NATS_URL", "REDIS_URL"))
    if nats.username or nats.password:
        # One credential for every process is what the per-process users replaced.
        problems.append("NATS_URL carries a credential; each process brings its own user")
    redis_auth = _secret(objects, "loyalty-redis-auth")
    if redis_auth is not None and redis.password != redis_auth["REDIS_PASSWORD"]:
        problems.append("REDIS_URL does not carry the Redis password")
    return problems


def pii_key_problems(objects: Objects, overlay: str) -> list[str]:
    """Only dev holds a personal-data key in git: the placeholder, 32 bytes in base64."""
    declared = _secret(objects, "loyalty-member-pii")
    if declared is None:
        return [] if overlay != "dev" else ["dev declares no loyalty-member-pii Secret"]
    try:
        key = base64.b64decode(declared["MEMBER_PII_KEY"], validate=True)
    except (binascii.Error, ValueError):
        return ["MEMBER_PII_KEY is not base64"]
    if len(key) != PII_KEY_BYTES:
        return [f"MEMBER_PII_KEY is {len(key)} bytes, not {PII_KEY_BYTES}"]
    if overlay != "dev" or key != DEV_PII_KEY:
        return [f"{overlay} holds a personal-data key in git that is not the dev placeholder"]
    return []


def datastore_problems(objects: Objects, overlay: str) -> list[str]:
    return (
        replica_set_problems(objects)
        + nats_route_problems(objects)
        + credential_problems(objects)
        + pii_key_problems(objects, overlay)
    )
