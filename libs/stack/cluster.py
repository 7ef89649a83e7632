"""The platform as a small cluster on loopback: a NATS JetStream cluster whose stream is
replicated on every node (three by default), and several replicas of every service and
of the gateway (two by default), sharing one MongoDB-protocol server and one Redis.

`with ClusterStack(var_dir, env=env, log_sink=log) as stack:` starts it (every port
free) and stops it like `Stack`. Its parts are named `nats-1`, `nats-2`, `nats-3` and,
per service and the gateway, `points`, `points-2`, ...: the first replica keeps the
plain name, so `stack.handle("gateway")`, `stack.gateway_url` and the seed are those of
the first gateway; `gateway_urls` lists every gateway.

Each node has its own store directory and client, monitoring and route ports, and admits
the same users as the single server does (nats_auth.py). Every process is given every
node's address (`NATS_URL` a comma-separated list) and `NATS_STREAM_REPLICAS`, and
reaches each peer service's replicas through one channel that spreads its calls over
them (libs/grpc/client.py). Replicas of a service consume with the same durable names,
so the stream shares their work between them (`make test-scale`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from libs.stack.apps import (
    COMPONENTS,
    REPO_ROOT,
    SERVICES,
    AppPorts,
    app_env,
    app_handles,
    member_pii_key,
)
from libs.stack.certs import local_certificates
from libs.stack.handle import LOOPBACK, ServerHandle
from libs.stack.mongo_auth import USERS_FILE, MongoUsers
from libs.stack.nats_auth import NatsUsers, without_user
from libs.stack.platform import STATUS_FILE, Stack
from libs.stack.servers import Servers, free_port, nats_server

NODES = 3
REPLICAS = 2
CLUSTER_NAME = "loyalty"


@dataclass(frozen=True)
class NodePorts:
    client: int
    monitor: int
    route: int

    @classmethod
    def free(cls) -> NodePorts:
        return cls(free_port(), free_port(), free_port())


def replica_name(part: str, index: int) -> str:
    """`points` for the first replica, `points-2` for the second."""
    return part if index == 1 else f"{part}-{index}"


def nats_cluster(
    data_root: Path,
    users: NatsUsers,
    *,
    nodes: int = NODES,
    sink: TextIO | None,
    timeout: float,
) -> dict[str, ServerHandle]:
    """Handles of the cluster's nodes, `nats-1` ... `nats-<nodes>`, each routed to the
    others; each handle's URL carries the launcher's user."""
    ports = [NodePorts.free() for _ in range(nodes)]
    handles: dict[str, ServerHandle] = {}
    for index, own in enumerate(ports, start=1):
        name = f"nats-{index}"
        routes = ",".join(f"nats://{LOOPBACK}:{p.route}" for p in ports if p is not own)
        options = ["--name", name, "--cluster_name", CLUSTER_NAME]
        options += ["--cluster", f"nats://{LOOPBACK}:{own.route}", "--routes", routes]
        handles[name] = nats_server(
            data_root / name,
            own.client,
            own.monitor,
            sink=sink,
            timeout=timeout,
            users=users,
            name=name,
            options=options,
        )
    return handles


class ClusterStack(Stack):
    """A `Stack` of `nodes` NATS nodes and `replicas` of each service and the gateway."""

    def __init__(  # the parent's parts are built differently here
        self,
        var_dir: Path,
        *,
        env: Mapping[str, str] | None = None,
        log_sink: TextIO | None = None,
        repo_root: Path = REPO_ROOT,
        timeout: float = 90.0,
        nodes: int = NODES,
        replicas: int = REPLICAS,
    ) -> None:
        base = dict(os.environ if env is None else env)
        self.var_dir = var_dir
        self.credentials_path = var_dir / "dev-credentials.json"
        self.credentials: dict[str, Any] = {}
        self.status_path = var_dir / STATUS_FILE
        self.tls = local_certificates(var_dir, COMPONENTS)
        self._sink, self._timeout = log_sink, timeout
        self._demo_history, self._seed = False, True
        users = NatsUsers()
        self.nats_nodes = nats_cluster(var_dir, users, nodes=nodes, sink=log_sink, timeout=timeout)
        self.nats_url = ",".join(node.url for node in self.nats_nodes.values())
        # Mongo and Redis as for one of each; the cluster stands in for the NATS server.
        self.servers = Servers(
            var_dir,
            free_ports=True,
            env={**base, "NATS_URL": self.nats_url},
            log_sink=log_sink,
            timeout=timeout,
            mongo_users=MongoUsers.kept(var_dir / USERS_FILE),
        )
        mongo_users = self.servers.mongo_users
        app_urls = {
            "mongo": without_user(self.servers.mongo.url),
            "redis": self.servers.redis.url,
            "nats": ",".join(without_user(node.url) for node in self.nats_nodes.values()),
        }
        self._env = app_env(base, app_urls, repo_root=repo_root, log_format="json")
        self._env["NATS_STREAM_REPLICAS"] = str(min(nodes, 3))
        ports = [AppPorts.free() for _ in range(replicas)]
        peers = {name: ",".join(p.addrs[name] for p in ports) for name in SERVICES}
        self.addrs = peers
        self.gateway_urls = [p.gateway_url for p in ports]
        self.gateway_url = self.gateway_urls[0]
        self.apps: dict[str, ServerHandle] = {}
        for index, own in enumerate(ports, start=1):
            self.apps |= app_handles(
                own,
                self._env,
                sink=log_sink,
                timeout=timeout,
                repo_root=repo_root,
                member_env={"MEMBER_PII_KEY": member_pii_key(var_dir, base)},
                gateway_env={
                    "STACK_STATUS_FILE": str(self.status_path),
                    "MEMBER_CODE_SENDER": "development",
                },
                tls=self.tls,
                nats_users=users,
                mongo_users=mongo_users,
                peer_addrs=peers,
                suffix=replica_name("", index),
            )

    @property
    def urls(self) -> dict[str, str]:
        """`mongo` and `redis` as `Stack`'s; `nats` every node's, as the launcher's user."""
        return {**self.servers.urls, "nats": self.nats_url}

    @property
    def handles(self) -> dict[str, ServerHandle]:
        """Every part by name: mongo, redis, the nodes, then each replica (start order)."""
        servers = {n: h for n, h in self.servers.handles.items() if n != "nats"}
        return {**servers, **self.nats_nodes, **self.apps}

    def _start_servers(self) -> None:
        nodes = list(self.nats_nodes.values())
        for node in nodes:
            node.launch()
        for node in nodes:
            node.wait_ready()
        self.servers.start()

    def _stop_servers(self, timeout: float) -> None:
        self.servers.stop(timeout)
        for node in reversed(self.nats_nodes.values()):
            node.stop(timeout)
