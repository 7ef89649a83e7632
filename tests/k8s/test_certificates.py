"""The optional cert-manager component issues exactly the mutual-TLS Secrets the
processes mount, from the platform's own CA, each good for serving and calling."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml  # type: ignore[import-untyped]

from tests.k8s.manifests import APPS, DEPLOY, OVERLAYS, Objects, of_kind, render, workloads
from tests.k8s.trust import TLS_MOUNT


def render_with_cert_manager(overlay: str, tmp_path: Path) -> Objects:
    def relative(path: Path) -> str:
        return os.path.relpath(path, tmp_path)

    (tmp_path / "kustomization.yaml").write_text(
        yaml.safe_dump(
            {
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "resources": [relative(OVERLAYS / overlay)],
                "components": [relative(DEPLOY / "components" / "cert-manager")],
            }
        ),
        encoding="utf-8",
    )
    kubectl = Path(sys.executable).parent / "kubectl"
    result = subprocess.run(
        [str(kubectl), "kustomize", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def mounted_tls_secrets(objects: Objects) -> set[str]:
    names = set()
    for w in workloads(objects):
        for c in w.containers(init=False):
            mounted = {m["name"] for m in c.get("volumeMounts", []) if m["mountPath"] == TLS_MOUNT}
            names |= {
                v["secret"]["secretName"]
                for v in w.pod.get("volumes", [])
                if v["name"] in mounted and "secret" in v
            }
    return names


def test_every_process_mounts_a_secret_of_its_own_for_its_certificate() -> None:
    assert mounted_tls_secrets(render("dev")) == {f"loyalty-{app}-mtls" for app in APPS}


def test_cert_manager_issues_every_mounted_secret_from_the_platforms_ca(tmp_path: Path) -> None:
    objects = render_with_cert_manager("dev", tmp_path)
    certificates = of_kind(objects, "Certificate")
    issuers = of_kind(objects, "Issuer")
    per_process = {c["spec"]["secretName"]: c for n, c in certificates.items() if n != "loyalty-ca"}

    assert set(per_process) == mounted_tls_secrets(objects)
    assert issuers["loyalty-ca"]["spec"]["ca"]["secretName"] == "loyalty-ca"
    assert certificates["loyalty-ca"]["spec"]["isCA"] is True
    for app in APPS:
        spec = per_process[f"loyalty-{app}-mtls"]["spec"]
        assert spec["issuerRef"] == {"name": "loyalty-ca", "kind": "Issuer"}
        assert {"server auth", "client auth"} <= set(spec["usages"])
        assert app in spec["dnsNames"]  # the name its callers dial (MEMBER_ADDR=member:50051)
