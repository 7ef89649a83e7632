"""The whole platform: backing servers, the three services, the gateway and the seed.

`with Stack(var_dir) as stack:` starts everything in dependency order, waits for each
part to report healthy, seeds the demo tenants and stops everything in reverse order on
exit. If a part fails to start, what was started is stopped and StackStartError says
which part failed and why.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TextIO

from libs.stack.apps import (
    COMPONENTS,
    REPO_ROOT,
    STAGES,
    AppPorts,
    app_env,
    app_handles,
    member_pii_key,
)
from libs.stack.certs import local_certificates
from libs.stack.errors import StackStartError
from libs.stack.handle import ServerHandle, exited_handles
from libs.stack.mongo_auth import USERS_FILE, MongoUsers
from libs.stack.nats_auth import NatsUsers, without_user
from libs.stack.output import is_tty
from libs.stack.process import ManagedProcess
from libs.stack.servers import Servers

STATUS_FILE = "stack-status.json"
"""Where, under the var dir, the launcher keeps its account of restarts; the gateway reads it."""


class Stack:
    """Servers, services and gateway of one local platform, as a context manager.

    `env` is the launcher's environment (default `os.environ`): children inherit it, a
    `MONGO_URL`, `REDIS_URL` or `NATS_URL` in it replaces the embedded server, and
    `GATEWAY_PORT` moves the gateway. With `free_ports` every port is picked free, so
    stacks (of tests, say) run side by side.

    Components do not trust each other blindly: every gRPC hop is mutual TLS with
    certificates from the stack's own CA (`<var_dir>/tls/`, see certs.py), and each
    process connects to the NATS server started here as its own user, allowed to publish
    only its own events (nats_auth.py), and to the MongoDB-protocol server started here as
    its own user, allowed to read and write only its own database (mongo_auth.py, the
    passwords kept in `<var_dir>/mongo-users.json`). `urls["nats"]` and `urls["mongo"]`
    carry the launcher's user, who may do anything.
    """

    def __init__(
        self,
        var_dir: Path,
        *,
        free_ports: bool = False,
        env: Mapping[str, str] | None = None,
        log_sink: TextIO | None = None,
        repo_root: Path = REPO_ROOT,
        timeout: float = 60.0,
        seed: bool = True,
        demo_history: bool = False,
    ) -> None:
        base = dict(os.environ if env is None else env)
        self.var_dir = var_dir
        self.credentials_path = var_dir / "dev-credentials.json"
        self.credentials: dict[str, Any] = {}
        self.status_path = var_dir / STATUS_FILE
        self.tls = local_certificates(var_dir, COMPONENTS)
        self.servers = Servers(
            var_dir,
            free_ports=free_ports,
            env=base,
            log_sink=log_sink,
            timeout=timeout,
            nats_users=NatsUsers(),
            mongo_users=MongoUsers.kept(var_dir / USERS_FILE),
        )
        gateway_port = int(base.get("GATEWAY_PORT") or AppPorts.gateway)
        ports = AppPorts.free() if free_ports else AppPorts(gateway=gateway_port)
        self.addrs = ports.addrs
        self.gateway_url = ports.gateway_url
        log_format = "console" if is_tty(log_sink) else "json"
        users, mongo_users = self.servers.nats_users, self.servers.mongo_users
        # The processes get the servers' addresses alone; each brings its own user.
        app_urls = dict(self.urls)
        if users is not None:
            app_urls["nats"] = without_user(app_urls["nats"])
        if mongo_users is not None:
            app_urls["mongo"] = without_user(app_urls["mongo"])
        self._env = app_env(base, app_urls, repo_root=repo_root, log_format=log_format)
        self._sink = log_sink
        self._timeout = timeout
        self._demo_history = demo_history
        self._seed = seed
        self.apps = app_handles(
            ports,
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
        )

    @property
    def urls(self) -> dict[str, str]:
        """The backing servers' URLs: `mongo`, `redis`, `nats`."""
        return self.servers.urls

    @property
    def handles(self) -> dict[str, ServerHandle]:
        """Every part by name, in start order (mongo, redis, nats, member, ..., gateway)."""
        return {**self.servers.handles, **self.apps}

    def handle(self, name: str) -> ServerHandle:
        return self.handles[name]

    def restart(self, name: str) -> None:
        """Stop one part and start it again on the same port, waiting until it answers."""
        handle = self.handle(name)
        handle.stop()
        handle.start()

    def kill(self, name: str) -> int | None:
        """SIGKILL one part, as a crash would; its exit code. `handle(name).start()` brings
        it back on the same port with the same data."""
        return self.handle(name).kill()

    def exited(self) -> list[ServerHandle]:
        """The parts this stack started whose process has since exited."""
        return exited_handles(self.handles.values())

    def start(self) -> None:
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.status_path.unlink(missing_ok=True)  # a previous run's account
        try:
            self._start_servers()
            for stage in STAGES:
                # every replica of the stage's parts (`points`, `points-2`, ...) together
                parts = [app for name, app in self.apps.items() if _part(name) in stage]
                for app in parts:
                    app.launch()
                for app in parts:
                    app.wait_ready()
            if self._seed:
                self.seed()
        except BaseException:
            self.stop()
            raise

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the gateway, points, campaign, member, then NATS, Redis, Mongo."""
        for handle in reversed(self.apps.values()):
            handle.stop(timeout)
        self._stop_servers(timeout)

    def _start_servers(self) -> None:
        self.servers.start()

    def _stop_servers(self, timeout: float) -> None:
        self.servers.stop(timeout)

    def seed(self) -> None:
        """Run `gateway.seed`, which writes the demo credentials, and load them."""
        self.credentials = run_seed(
            self.apps["gateway"],
            self.credentials_path,
            sink=self._sink,
            timeout=self._timeout,
            demo_history=self._demo_history,
        )

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _part(name: str) -> str:
    """`points` of `points` and of its replica `points-2`."""
    return name.partition("-")[0]


def run_seed(
    gateway: ServerHandle,
    credentials_path: Path,
    *,
    sink: TextIO | None,
    timeout: float,
    demo_history: bool = False,
) -> dict[str, Any]:
    """Run `gateway.seed` against `gateway` (it reads the gateway's settings), which
    writes the demo credentials to `credentials_path`; those credentials."""
    argv = [sys.executable, "-m", "gateway.seed", "--credentials", str(credentials_path)]
    argv += ["--gateway-url", gateway.url]
    if demo_history:
        argv.append("--demo-history")
    seeder = ManagedProcess("seed", argv, env=gateway.env, sink=sink)
    seeder.start()
    try:
        code = seeder.wait(timeout)
    finally:
        seeder.stop()
    if code is None:
        reason = f"did not finish within {timeout:.0f}s"
        raise StackStartError("seed", reason, seeder.last_lines())
    if code != 0:
        raise StackStartError("seed", f"exited with code {code}", seeder.last_lines())
    try:
        credentials: dict[str, Any] = json.loads(credentials_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        reason = f"wrote no readable {credentials_path} ({error})"
        raise StackStartError("seed", reason, seeder.last_lines()) from error
    return credentials
