"""The rendered overlays are wired together, and a deliberate mistake is caught.

Each check returns the problems it finds (tests/k8s/wiring.py, tests/k8s/datastores.py):
the real overlays have none, and each mistake below, made on a copy of the rendered dev
or prod overlay, produces the problem that names it.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable

import pytest

from tests.k8s.datastores import datastore_problems
from tests.k8s.manifests import OVERLAY_NAMES, Manifest, Objects, of_kind, render, workload
from tests.k8s.wiring import wiring_problems

Mistake = Callable[[Objects], None]


def all_problems(objects: Objects, overlay: str) -> list[str]:
    return wiring_problems(objects, overlay) + datastore_problems(objects, overlay)


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_overlay_is_wired_without_a_single_problem(overlay: str) -> None:
    assert all_problems(render(overlay), overlay) == []


def config(objects: Objects) -> Manifest:
    (cm,) = [c for n, c in of_kind(objects, "ConfigMap").items() if n.startswith("loyalty-config")]
    return cm


def secret(objects: Objects, prefix: str) -> Manifest:
    (found,) = [s for n, s in of_kind(objects, "Secret").items() if n.startswith(prefix)]
    return found


def set_secret_value(objects: Objects, prefix: str, key: str, value: str) -> None:
    secret(objects, prefix)["data"][key] = base64.b64encode(value.encode()).decode()


def container(objects: Objects, name: str) -> Manifest:
    found: Manifest = workload(objects, name).pod["containers"][0]
    return found


def env_entry(objects: Objects, name: str, variable: str) -> Manifest:
    matches: list[Manifest] = [e for e in container(objects, name)["env"] if e["name"] == variable]
    (entry,) = matches
    return entry


def wrong_member_port(objects: Objects) -> None:
    config(objects)["data"]["MEMBER_ADDR"] = "member:50052"


def address_of_a_missing_service(objects: Objects) -> None:
    config(objects)["data"]["CAMPAIGN_ADDR"] = "campaigns:50053"


def mongo_url_naming_a_member_that_does_not_exist(objects: Objects) -> None:
    url = "mongodb://points:dev-mongo-points-placeholder@mongodb-1.mongodb:27017/?replicaSet=rs0"
    set_secret_value(objects, "loyalty-mongodb-users", "points", url)


def a_mongo_url_shared_by_every_process(objects: Objects) -> None:
    url = "mongodb://loyalty:shared@mongodb-0.mongodb:27017/?replicaSet=rs0"
    set_secret_value(objects, "loyalty-datastores", "MONGO_URL", url)


def the_member_services_url_carrying_the_points_user(objects: Objects) -> None:
    url = "mongodb://points:dev-mongo-points-placeholder@mongodb-0.mongodb:27017/?replicaSet=rs0"
    set_secret_value(objects, "loyalty-mongodb-users", "member", url)


def the_gateway_connecting_to_mongodb_as_the_points_service(objects: Objects) -> None:
    env_entry(objects, "gateway", "MONGO_URL")["valueFrom"]["secretKeyRef"]["key"] = "points"


def the_init_job_granting_points_to_the_member_user(objects: Objects) -> None:
    ref = env_entry(objects, "mongodb-init", "MONGO_URL_POINTS")["valueFrom"]["secretKeyRef"]
    ref["key"] = "member"


def missing_secret(objects: Objects) -> None:
    env_entry(objects, "member", "MEMBER_PII_KEY")["valueFrom"]["secretKeyRef"]["name"] = "pii"


def missing_secret_key(objects: Objects) -> None:
    env_entry(objects, "member", "MEMBER_PII_KEY")["valueFrom"]["secretKeyRef"]["key"] = "KEY"


def probe_on_the_wrong_port(objects: Objects) -> None:
    container(objects, "points")["readinessProbe"]["grpc"]["port"] = 50051


def missing_liveness_probe(objects: Objects) -> None:
    del container(objects, "nats")["livenessProbe"]


def service_targeting_a_port_nobody_has(objects: Objects) -> None:
    of_kind(objects, "Service")["redis"]["spec"]["ports"][0]["targetPort"] = 6380


def required_variable_dropped(objects: Objects) -> None:
    del config(objects)["data"]["CAMPAIGN_ADDR"]


def listening_on_an_undeclared_port(objects: Objects) -> None:
    env_entry(objects, "campaign", "GRPC_PORT")["value"] = "50054"


def grace_too_short_to_drain(objects: Objects) -> None:
    workload(objects, "points").pod["terminationGracePeriodSeconds"] = 30


def replica_set_size_out_of_step(objects: Objects) -> None:
    workload(objects, "mongodb").obj["spec"]["replicas"] = 3


def database_the_init_job_does_not_grant(objects: Objects) -> None:
    env_entry(objects, "gateway", "MONGO_DB")["value"] = "loyalty_gateway"


def a_shared_nats_credential_in_the_url(objects: Objects) -> None:
    set_secret_value(objects, "loyalty-datastores", "NATS_URL", "nats://token@nats:4222")


def the_gateway_connecting_as_the_points_service(objects: Objects) -> None:
    env_entry(objects, "gateway", "NATS_USER")["value"] = "points"


def the_member_user_allowed_to_publish_points_events(objects: Objects) -> None:
    (conf,) = [cm for cm in objects if cm["metadata"]["name"].startswith("nats-config")]
    conf["data"]["auth.conf"] = conf["data"]["auth.conf"].replace(
        '"loyalty.*.member.>"', '"loyalty.*.member.>", "loyalty.*.points.>"'
    )


def a_service_without_its_certificate(objects: Objects) -> None:
    workload(objects, "points").pod["volumes"] = [
        v for v in workload(objects, "points").pod["volumes"] if v["name"] != "tls"
    ]


def plaintext_allowed(objects: Objects) -> None:
    config(objects)["data"]["ENVIRONMENT"] = "development"


def pii_key_of_the_wrong_length(objects: Objects) -> None:
    set_secret_value(objects, "loyalty-member-pii", "MEMBER_PII_KEY", "c2hvcnQ=")


def a_real_looking_pii_key(objects: Objects) -> None:
    key = base64.b64encode(bytes(range(32))).decode()
    set_secret_value(objects, "loyalty-member-pii", "MEMBER_PII_KEY", key)


@pytest.mark.parametrize(
    ("mistake", "problem"),
    [
        (wrong_member_port, "Service member has no port 50052"),
        (address_of_a_missing_service, "campaigns is not a Service of this overlay"),
        (mongo_url_naming_a_member_that_does_not_exist, "no pod mongodb-1 behind a headless"),
        (missing_secret, "uses Secret pii, which is not declared"),
        (missing_secret_key, "uses key KEY of loyalty-member-pii"),
        (probe_on_the_wrong_port, "readinessProbe probes port 50051"),
        (missing_liveness_probe, "StatefulSet/nats/nats lacks a readiness or liveness probe"),
        (service_targeting_a_port_nobody_has, "Service/redis targets 6380"),
        (required_variable_dropped, "points lacks ['CAMPAIGN_ADDR']"),
        (listening_on_an_undeclared_port, "campaign listens on ['50054']"),
        (grace_too_short_to_drain, "points: terminationGracePeriodSeconds 30 < 40.0"),
        (replica_set_size_out_of_step, "mongodb-init forms a set of 1"),
        (database_the_init_job_does_not_grant, "mongodb-init grants"),
        (a_mongo_url_shared_by_every_process, "loyalty-datastores carries a MONGO_URL"),
        (the_member_services_url_carrying_the_points_user, "member's MONGO_URL carries the user"),
        (the_member_services_url_carrying_the_points_user, "share a password"),
        (
            the_gateway_connecting_to_mongodb_as_the_points_service,
            "gateway takes MONGO_URL from ('loyalty-mongodb-users', 'points')",
        ),
        (
            the_init_job_granting_points_to_the_member_user,
            "mongodb-init gives points to the user of ('loyalty-mongodb-users', 'member')",
        ),
        (a_shared_nats_credential_in_the_url, "NATS_URL carries a credential"),
        (the_gateway_connecting_as_the_points_service, "gateway connects to NATS as points"),
        (the_member_user_allowed_to_publish_points_events, "NATS lets member publish allow"),
        (a_service_without_its_certificate, "points mounts None at /etc/loyalty/tls"),
        (plaintext_allowed, "does not say ENVIRONMENT=production"),
        (pii_key_of_the_wrong_length, "MEMBER_PII_KEY is 5 bytes, not 32"),
        (
            a_real_looking_pii_key,
            "holds a personal-data key in git that is not the dev placeholder",
        ),
    ],
)
def test_a_deliberate_mistake_in_dev_is_reported(mistake: Mistake, problem: str) -> None:
    objects = copy.deepcopy(render("dev"))
    mistake(objects)
    found = all_problems(objects, "dev")
    assert any(problem in p for p in found), found


def test_a_secret_declared_in_git_outside_dev_is_reported() -> None:
    objects = copy.deepcopy(render("prod"))
    leaked = copy.deepcopy(secret(render("dev"), "loyalty-member-pii"))
    leaked["metadata"]["name"] = "loyalty-member-pii"
    found = all_problems((*objects, leaked), "prod")
    assert "Secret/loyalty-member-pii is declared in git outside dev" in found


def test_an_external_secret_nothing_uses_is_reported_as_stale_documentation() -> None:
    objects = copy.deepcopy(render("prod"))
    member = container(objects, "member")
    member["env"] = [e for e in member["env"] if e["name"] != "MEMBER_PII_KEY"]
    assert "external Secret loyalty-member-pii is used by nothing" in all_problems(objects, "prod")
