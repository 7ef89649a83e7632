"""The platform's own processes: the four gRPC services and the HTTP gateway."""

from __future__ import annotations

import base64
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TextIO

from libs.grpc.tls import TlsFiles
from libs.stack.handle import LOOPBACK, ServerHandle
from libs.stack.mongo_auth import MongoUsers
from libs.stack.nats_auth import NatsUsers
from libs.stack.readiness import Check, check_grpc_health, check_http, waiter
from libs.stack.servers import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("member", "points", "campaign", "analytics")
LAUNCHER = "launcher"
"""The launcher's own certificate: it asks the services' health over mutual TLS."""
COMPONENTS = (*SERVICES, "gateway", LAUNCHER)
STAGES = (("member", "campaign"), ("points", "analytics"), ("gateway",))
"""Start order; the parts of a stage start together. Stopping goes in reverse."""
PII_KEY_FILE = "member-pii.key"


@dataclass(frozen=True)
class AppPorts:
    member: int = 50051
    points: int = 50052
    campaign: int = 50053
    gateway: int = 8000
    analytics: int = 50054

    @classmethod
    def free(cls) -> AppPorts:
        return cls(free_port(), free_port(), free_port(), free_port(), free_port())

    @property
    def addrs(self) -> dict[str, str]:
        """`127.0.0.1:<port>` of each gRPC service."""
        return {name: f"{LOOPBACK}:{getattr(self, name)}" for name in SERVICES}

    @property
    def gateway_url(self) -> str:
        return f"http://{LOOPBACK}:{self.gateway}"


def app_env(
    base: Mapping[str, str], urls: Mapping[str, str], *, repo_root: Path, log_format: str
) -> dict[str, str]:
    """The environment every service, the gateway and the seed run with."""
    env = dict(base)
    env.update(
        MONGO_URL=urls["mongo"],
        REDIS_URL=urls["redis"],
        NATS_URL=urls["nats"],
        LOG_FORMAT=base.get("LOG_FORMAT") or log_format,
        LOG_LEVEL=base.get("LOG_LEVEL") or "INFO",
        PYTHONUNBUFFERED="1",
    )
    paths = [str(repo_root), str(repo_root / "gen")]
    if existing := base.get("PYTHONPATH"):
        paths.append(existing)
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


def member_pii_key(var_dir: Path, base: Mapping[str, str]) -> str:
    """`MEMBER_PII_KEY` from the environment, else the one kept in `var_dir`.

    On first run a random key is written there (mode 0600). It encrypts every member's
    personal data: `make clean` removes it together with the data it protects.
    """
    if given := base.get("MEMBER_PII_KEY"):
        return given
    path = var_dir / PII_KEY_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = base64.b64encode(os.urandom(32)).decode()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(key + "\n")
    return key


def app_handles(
    ports: AppPorts,
    env: Mapping[str, str],
    *,
    sink: TextIO | None,
    timeout: float,
    repo_root: Path = REPO_ROOT,
    member_env: Mapping[str, str] | None = None,
    gateway_env: Mapping[str, str] | None = None,
    tls: Mapping[str, TlsFiles] | None = None,
    nats_users: NatsUsers | None = None,
    mongo_users: MongoUsers | None = None,
    peer_addrs: Mapping[str, str] | None = None,
    suffix: str = "",
) -> dict[str, ServerHandle]:
    """Handles for member, campaign, points, analytics and gateway, in start order.

    Each calls its peers at `peer_addrs` (default: `ports.addrs`; several replicas of a
    service are a comma-separated list, see libs/grpc/client.py). Their names (keys and
    log prefixes) end in `suffix` ("-2" for a second replica, say).

    With `tls` (TlsFiles by component, `launcher` included) every gRPC hop is mutual TLS;
    with `nats_users` each process connects to NATS as its own user, and with
    `mongo_users` to MongoDB (`env["MONGO_URL"]`, the bare address) as its own user.
    Without them (`MONGO_URL` names a server) a process whose `MONGO_URL_<NAME>` is set,
    `MONGO_URL_POINTS` say, connects with that URL instead of `MONGO_URL`.
    """
    addrs = ports.addrs if peer_addrs is None else dict(peer_addrs)
    trust = partial(_trust_env, env, tls=tls, nats_users=nats_users, mongo_users=mongo_users)
    launcher_tls = tls[LAUNCHER] if tls else None
    launch = partial(_app, sink=sink, timeout=timeout, repo_root=repo_root)
    peers = {
        "points": {"CAMPAIGN_ADDR": addrs["campaign"]},
        "campaign": {"POINTS_ADDR": addrs["points"], "MEMBER_ADDR": addrs["member"]},
        "member": dict(member_env or {}),
        "analytics": {"MEMBER_ADDR": addrs["member"], "CAMPAIGN_ADDR": addrs["campaign"]},
    }
    apps: dict[str, ServerHandle] = {}
    metrics_urls: dict[str, str] = {}
    for name in ("member", "campaign", "points", "analytics"):
        port = getattr(ports, name)
        service_env = {**env, "GRPC_PORT": str(port), **peers.get(name, {}), **trust(name)}
        service_env.setdefault("METRICS_PORT", str(free_port()))
        metrics_urls[f"{name.upper()}_METRICS_URL"] = (
            f"http://{LOOPBACK}:{service_env['METRICS_PORT']}/metrics"
        )
        own = ports.addrs[name]
        check = partial(check_grpc_health, own, tls=launcher_tls)
        apps[name + suffix] = launch(
            name + suffix, f"services.{name}", url=own, port=port, env=service_env, check=check
        )
    gateway_env = {
        **env,
        "GATEWAY_HOST": LOOPBACK,
        "GATEWAY_PORT": str(ports.gateway),
        "MEMBER_ADDR": addrs["member"],
        "POINTS_ADDR": addrs["points"],
        "CAMPAIGN_ADDR": addrs["campaign"],
        "ANALYTICS_ADDR": addrs["analytics"],
        **metrics_urls,
        **trust("gateway"),
        **(gateway_env or {}),
    }
    url = ports.gateway_url
    check = partial(check_http, f"{url}/readyz")
    apps["gateway" + suffix] = launch(
        "gateway" + suffix, "gateway", url=url, port=ports.gateway, env=gateway_env, check=check
    )
    return apps


def _trust_env(
    base: Mapping[str, str],
    name: str,
    *,
    tls: Mapping[str, TlsFiles] | None,
    nats_users: NatsUsers | None,
    mongo_users: MongoUsers | None,
) -> dict[str, str]:
    """The certificate files, NATS user and MongoDB user one process is given."""
    env: dict[str, str] = {}
    if tls is not None:
        files = tls[name]
        env.update(
            GRPC_TLS_CA_FILE=str(files.ca),
            GRPC_TLS_CERT_FILE=str(files.cert),
            GRPC_TLS_KEY_FILE=str(files.key),
        )
    if nats_users is not None:
        user, password = nats_users.credentials(name)
        env.update(NATS_USER=user, NATS_PASSWORD=password)
    if mongo_users is not None:
        env["MONGO_URL"] = mongo_users.url_for(base["MONGO_URL"], name)
    elif own := base.get(f"MONGO_URL_{name.upper()}"):
        env["MONGO_URL"] = own
    return env


def _app(
    name: str,
    module: str,
    *,
    url: str,
    port: int,
    env: dict[str, str],
    check: Check,
    sink: TextIO | None,
    timeout: float,
    repo_root: Path,
) -> ServerHandle:
    hint = "stop what uses it, set GATEWAY_PORT, or pass --free-ports"
    if module != "gateway":
        hint = "stop what uses it or pass --free-ports"
    argv = [sys.executable, "-m", module]
    ready = waiter(name, check, timeout=timeout)
    return ServerHandle(name, url, port, None, argv, env, ready, sink, hint, cwd=repo_root)
