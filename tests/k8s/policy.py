"""A policy scan of rendered manifests: the pod-level checks of checkov's Kubernetes
framework, written out here because checkov's pinned dependencies conflict with ours
(see deploy/k8s/README.md). Each rule names the checkov checks it stands for.

A violation is reported unless ACCEPTED_EXCEPTIONS lists its rule for that object,
with the reason; an exception that no longer matches anything is reported too, so the
list never outlives the manifests.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tests.k8s.manifests import Manifest, Objects, Workload, of_kind, workloads
from tests.k8s.netpol import selects


@dataclass(frozen=True)
class Violation:
    rule: str
    target: str  # Kind/name, or Kind/name/container
    detail: str


# (rule, target glob) -> why the finding is accepted. Mirrored in deploy/k8s/README.md.
ACCEPTED_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("high-uid", "StatefulSet/mongodb/*"): (
        "the official mongo image's entrypoint and mongosh run as its own mongodb user, "
        "uid 999, which owns the image's files; still non-root, read-only root filesystem"
    ),
    ("high-uid", "Job/mongodb-init/*"): "the same mongo image, so the same uid 999",
    ("secrets-as-files", "*"): (
        "configuration is environment variables read once into typed settings "
        "(CONVENTIONS.md 5), and the datastore images read their credentials from the "
        "environment; the Secrets are namespaced, per purpose, and the member PII key is "
        "given to the member Deployment only"
    ),
    ("image-digest", "*"): (
        "images are pinned to exact version tags; resolving digests needs the registry, "
        "which this offline check has not; the release pipeline may pin digests with "
        "`kustomize edit set image`"
    ),
    ("image-pull-always", "*"): (
        "with exact version tags, IfNotPresent starts pods without a registry round trip "
        "and during a registry outage; dev's locally loaded image must not be pulled"
    ),
}

Rule = Callable[[Workload, Manifest], str | None]
RULES: dict[str, Rule] = {}
CHECKOV: dict[str, str] = {}


def rule(name: str, checkov: str) -> Callable[[Rule], Rule]:
    def register(check: Rule) -> Rule:
        RULES[name], CHECKOV[name] = check, checkov
        return check

    return register


def effective(w: Workload, c: Manifest) -> Manifest:
    context: Manifest = w.pod.get("securityContext", {}) | c.get("securityContext", {})
    return context


@rule("no-privileged", "CKV_K8S_16")
def _privileged(w: Workload, c: Manifest) -> str | None:
    return "privileged" if c.get("securityContext", {}).get("privileged") else None


@rule("no-privilege-escalation", "CKV_K8S_20")
def _escalation(w: Workload, c: Manifest) -> str | None:
    ok = c.get("securityContext", {}).get("allowPrivilegeEscalation") is False
    return None if ok else "allowPrivilegeEscalation is not false"


@rule("drop-all-capabilities", "CKV_K8S_25 CKV_K8S_28 CKV_K8S_37 CKV_K8S_39")
def _capabilities(w: Workload, c: Manifest) -> str | None:
    caps = c.get("securityContext", {}).get("capabilities", {})
    return None if caps.get("drop") == ["ALL"] and not caps.get("add") else f"capabilities {caps}"


@rule("non-root", "CKV_K8S_23")
def _non_root(w: Workload, c: Manifest) -> str | None:
    context = effective(w, c)
    ok = context.get("runAsNonRoot") is True and context.get("runAsUser", 0) != 0
    return None if ok else "may run as root"


@rule("high-uid", "CKV_K8S_40")
def _high_uid(w: Workload, c: Manifest) -> str | None:
    uid = effective(w, c).get("runAsUser", 0)
    return None if uid >= 10000 else f"runs as uid {uid}"


@rule("read-only-root-filesystem", "CKV_K8S_22")
def _read_only(w: Workload, c: Manifest) -> str | None:
    ok = c.get("securityContext", {}).get("readOnlyRootFilesystem") is True
    return None if ok else "writable root filesystem"


@rule("seccomp-runtime-default", "CKV_K8S_31")
def _seccomp(w: Workload, c: Manifest) -> str | None:
    kind = effective(w, c).get("seccompProfile", {}).get("type")
    return None if kind == "RuntimeDefault" else f"seccomp {kind}"


@rule("requests-and-limits", "CKV_K8S_10 CKV_K8S_11 CKV_K8S_12 CKV_K8S_13")
def _resources(w: Workload, c: Manifest) -> str | None:
    resources = c.get("resources", {})
    missing = [
        f"{bound}.{res}"
        for bound in ("requests", "limits")
        for res in ("cpu", "memory")
        if res not in resources.get(bound, {})
    ]
    return f"no {', '.join(missing)}" if missing else None


@rule("pinned-image", "CKV_K8S_14")
def _pinned(w: Workload, c: Manifest) -> str | None:
    image: str = c["image"]
    tag = image.rpartition("/")[2].partition(":")[2]
    return None if "@sha256:" in image or tag not in ("", "latest") else f"unpinned {image}"


@rule("image-digest", "CKV_K8S_43")
def _digest(w: Workload, c: Manifest) -> str | None:
    return None if "@sha256:" in c["image"] else f"{c['image']} has no digest"


@rule("image-pull-always", "CKV_K8S_15")
def _pull(w: Workload, c: Manifest) -> str | None:
    return None if c.get("imagePullPolicy") == "Always" else "imagePullPolicy is not Always"


@rule("secrets-as-files", "CKV_K8S_35")
def _secret_env(w: Workload, c: Manifest) -> str | None:
    from_secret = any("secretRef" in s for s in c.get("envFrom", [])) or any(
        "secretKeyRef" in e.get("valueFrom", {}) for e in c.get("env", [])
    )
    return "Secret values in environment variables" if from_secret else None


@rule("no-host-ports", "CKV_K8S_26")
def _host_ports(w: Workload, c: Manifest) -> str | None:
    return "hostPort" if any("hostPort" in p for p in c.get("ports", [])) else None


@rule("probes", "CKV_K8S_8 CKV_K8S_9")
def _probes(w: Workload, c: Manifest) -> str | None:
    if not w.long_running or w.is_init(c):
        return None
    ok = {"readinessProbe", "livenessProbe"} <= set(c)
    return None if ok else "no readiness or liveness probe"


def pod_findings(w: Workload) -> Iterator[tuple[str, str]]:
    """CKV_K8S_17-19, 27, 38, 41: host namespaces and paths, service accounts."""
    pod = w.pod
    for flag in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.get(flag):
            yield "no-host-namespaces", flag
    if any("hostPath" in v for v in pod.get("volumes", [])):
        yield "no-host-path", "hostPath volume"
    if pod.get("automountServiceAccountToken") is not False:
        yield "no-service-account-token", "the token is mounted"
    if pod.get("serviceAccountName", "default") == "default":
        yield "own-service-account", "runs as the default service account"


def object_findings(objects: Objects) -> Iterator[Violation]:
    """CKV_K8S_21 and exposure: namespaces, Services, NetworkPolicy coverage."""
    for obj in objects:
        target = f"{obj['kind']}/{obj['metadata']['name']}"
        if obj["kind"] != "Namespace" and obj["metadata"].get("namespace") in (None, "default"):
            yield Violation("not-default-namespace", target, "in the default namespace")
        if obj["kind"] == "Service" and obj["spec"].get("type", "ClusterIP") != "ClusterIP":
            yield Violation("cluster-ip-services", target, f"type {obj['spec']['type']}")
    selectors = [p["spec"]["podSelector"] for p in of_kind(objects, "NetworkPolicy").values()]
    for w in workloads(objects):
        own = [s for s in selectors if s and selects(s, w.labels)]
        if not own:
            yield Violation("own-network-policy", f"{w.kind}/{w.name}", "no policy of its own")


def violations(objects: Objects) -> list[Violation]:
    found = list(object_findings(objects))
    for w in workloads(objects):
        found += [Violation(r, f"{w.kind}/{w.name}", d) for r, d in pod_findings(w)]
        for c in w.containers():
            target = f"{w.kind}/{w.name}/{c['name']}"
            found += [Violation(n, target, d) for n, check in RULES.items() if (d := check(w, c))]
    return found


def accepted(v: Violation) -> bool:
    return any(r == v.rule and fnmatch.fnmatch(v.target, g) for r, g in ACCEPTED_EXCEPTIONS)


def unexplained(objects: Objects) -> list[Violation]:
    return [v for v in violations(objects) if not accepted(v)]


def unused_exceptions(rendered: list[Objects]) -> list[tuple[str, str]]:
    found = [v for objects in rendered for v in violations(objects)]
    return [
        (r, g)
        for r, g in ACCEPTED_EXCEPTIONS
        if not any(v.rule == r and fnmatch.fnmatch(v.target, g) for v in found)
    ]
