"""Offline checks of deploy/k8s: every overlay renders, is valid for a fixed Kubernetes
version, and has the shape the platform needs (workloads, scaling, disruption budgets,
labels, namespaces).

Needs no cluster: `kubectl kustomize` renders, `kubernetes_validate` checks the result
against the API schemas shipped inside the package.
"""

from __future__ import annotations

import kubernetes_validate  # type: ignore[import-untyped]
import pytest

from tests.k8s.manifests import APPS, OVERLAY_NAMES, of_kind, render, where, workloads

KUBERNETES_VERSION = "1.30"
IN_CLUSTER_DATASTORES = {"mongodb", "nats", "redis"}


def test_the_dev_staging_and_prod_overlays_exist() -> None:
    assert {"dev", "staging", "prod"} <= set(OVERLAY_NAMES)


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_rendered_object_is_valid_for_the_pinned_kubernetes_version(overlay: str) -> None:
    problems = []
    for obj in render(overlay):
        try:
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            problems.append(f"{where(obj)}: {'.'.join(map(str, exc.path))}: {exc.message}")
        except kubernetes_validate.SchemaNotFoundError as exc:
            problems.append(f"{where(obj)}: {exc.message}")
    assert problems == []


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_process_has_a_deployment_service_account_and_policy_of_its_own(
    overlay: str,
) -> None:
    objects = render(overlay)
    for kind in ("Deployment", "Service", "ServiceAccount", "NetworkPolicy"):
        assert set(APPS) <= set(of_kind(objects, kind)), kind
    assert set(of_kind(objects, "Deployment")) == set(APPS)


@pytest.mark.parametrize(
    ("overlay", "datastores"),
    [("dev", IN_CLUSTER_DATASTORES), ("staging", IN_CLUSTER_DATASTORES), ("prod", set())],
)
def test_the_datastores_run_in_the_cluster_except_in_prod(
    overlay: str, datastores: set[str]
) -> None:
    assert set(of_kind(render(overlay), "StatefulSet")) == datastores


@pytest.mark.parametrize(
    ("overlay", "processes", "mongodb", "nats"),
    [("dev", 1, 1, 1), ("staging", 2, 3, 3), ("prod", 3, 0, 0)],
)
def test_each_overlay_runs_its_intended_number_of_replicas(
    overlay: str, processes: int, mongodb: int, nats: int
) -> None:
    objects = render(overlay)
    assert {d["spec"]["replicas"] for d in of_kind(objects, "Deployment").values()} == {processes}
    assert {
        h["spec"]["minReplicas"] for h in of_kind(objects, "HorizontalPodAutoscaler").values()
    } == {processes}
    sets = of_kind(objects, "StatefulSet")
    assert sets.get("mongodb", {}).get("spec", {}).get("replicas", 0) == mongodb
    assert sets.get("nats", {}).get("spec", {}).get("replicas", 0) == nats


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_deployment_autoscales_and_every_workload_has_a_disruption_budget(
    overlay: str,
) -> None:
    objects = render(overlay)
    autoscaled = {
        hpa["spec"]["scaleTargetRef"]["name"]
        for hpa in of_kind(objects, "HorizontalPodAutoscaler").values()
        if hpa["spec"]["scaleTargetRef"]["kind"] == "Deployment"
    }
    assert autoscaled == set(of_kind(objects, "Deployment"))
    budgets = [
        pdb["spec"]["selector"]["matchLabels"].items()
        for pdb in of_kind(objects, "PodDisruptionBudget").values()
    ]
    for w in workloads(objects):
        if w.long_running:
            covering = [b for b in budgets if b <= w.labels.items()]
            assert len(covering) == 1, f"{w.kind}/{w.name} has {len(covering)} budgets"


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_object_is_labelled_as_part_of_the_loyalty_platform(overlay: str) -> None:
    for obj in render(overlay):
        labels = obj["metadata"].get("labels", {})
        assert labels.get("app.kubernetes.io/part-of") == "loyalty", where(obj)


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_namespaced_object_lives_in_the_overlays_own_namespace(overlay: str) -> None:
    namespaces = {
        obj["metadata"].get("namespace") for obj in render(overlay) if obj["kind"] != "Namespace"
    }
    assert len(namespaces) == 1
    assert namespaces.pop() not in (None, "default")


def test_the_dev_namespace_enforces_the_restricted_pod_security_standard() -> None:
    labels = of_kind(render("dev"), "Namespace")["loyalty-dev"]["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_the_platform_image_gets_its_name_and_tag_from_the_overlay(overlay: str) -> None:
    images = {
        c["image"] for w in workloads(render(overlay)) if w.name in APPS for c in w.containers()
    }
    assert len(images) == 1
    (image,) = images
    assert image != "loyalty-platform"
    assert ":" in image.rpartition("/")[2], image
