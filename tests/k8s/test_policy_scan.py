"""The policy scan (tests/k8s/policy.py) over every overlay: no finding without a written
reason, no written reason without a finding, and a deliberate loosening is caught."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from tests.k8s.manifests import DEPLOY, OVERLAY_NAMES, Objects, of_kind, render, workload
from tests.k8s.policy import (
    ACCEPTED_EXCEPTIONS,
    CHECKOV,
    RULES,
    unexplained,
    unused_exceptions,
)

Loosening = Callable[[Objects], None]


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_policy_finding_in_the_overlay_is_an_accepted_exception(overlay: str) -> None:
    assert unexplained(render(overlay)) == []


def test_every_accepted_exception_still_matches_a_finding() -> None:
    assert unused_exceptions([render(o) for o in OVERLAY_NAMES]) == []


def test_every_accepted_exception_names_a_rule_and_gives_a_reason() -> None:
    for (rule, _), reason in ACCEPTED_EXCEPTIONS.items():
        assert rule in RULES
        assert len(reason) > 40


def test_every_accepted_exception_is_written_down_in_the_deploy_readme() -> None:
    readme = (DEPLOY / "README.md").read_text()
    for rule, _ in ACCEPTED_EXCEPTIONS:
        assert f"`{rule}` ({CHECKOV[rule]})" in readme


def privileged_gateway(objects: Objects) -> None:
    workload(objects, "gateway").pod["containers"][0]["securityContext"]["privileged"] = True


def host_network_for_nats(objects: Objects) -> None:
    workload(objects, "nats").pod["hostNetwork"] = True


def host_path_for_mongodb(objects: Objects) -> None:
    volumes = workload(objects, "mongodb").pod["volumes"]
    volumes.append({"name": "host", "hostPath": {"path": "/var/lib/mongo"}})


def root_user_for_redis(objects: Objects) -> None:
    workload(objects, "redis").pod["containers"][0]["securityContext"]["runAsUser"] = 0


def writable_root_for_points(objects: Objects) -> None:
    context = workload(objects, "points").pod["containers"][0]["securityContext"]
    context["readOnlyRootFilesystem"] = False


def no_memory_limit_for_the_init_job(objects: Objects) -> None:
    del workload(objects, "mongodb-init").pod["containers"][0]["resources"]["limits"]["memory"]


def latest_tag_for_nats(objects: Objects) -> None:
    workload(objects, "nats").pod["containers"][0]["image"] = "nats:latest"


def an_added_capability(objects: Objects) -> None:
    context = workload(objects, "member").pod["containers"][0]["securityContext"]
    context["capabilities"]["add"] = ["NET_ADMIN"]


def a_node_port(objects: Objects) -> None:
    of_kind(objects, "Service")["gateway"]["spec"]["type"] = "NodePort"


def the_service_account_token(objects: Objects) -> None:
    workload(objects, "campaign").pod["automountServiceAccountToken"] = True


@pytest.mark.parametrize(
    ("loosening", "rule"),
    [
        (privileged_gateway, "no-privileged"),
        (host_network_for_nats, "no-host-namespaces"),
        (host_path_for_mongodb, "no-host-path"),
        (root_user_for_redis, "non-root"),
        (writable_root_for_points, "read-only-root-filesystem"),
        (no_memory_limit_for_the_init_job, "requests-and-limits"),
        (latest_tag_for_nats, "pinned-image"),
        (an_added_capability, "drop-all-capabilities"),
        (a_node_port, "cluster-ip-services"),
        (the_service_account_token, "no-service-account-token"),
    ],
)
def test_a_deliberate_loosening_is_reported(loosening: Loosening, rule: str) -> None:
    objects = copy.deepcopy(render("dev"))
    loosening(objects)
    assert rule in {v.rule for v in unexplained(objects)}
