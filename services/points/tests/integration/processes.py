"""Services run as their own processes, as the launcher runs them."""

from __future__ import annotations

import os
import sys
from functools import partial
from typing import TextIO

from libs.stack.apps import REPO_ROOT, app_env
from libs.stack.handle import LOOPBACK, ServerHandle
from libs.stack.readiness import check_grpc_health, waiter
from libs.stack.servers import free_port


def service_process(
    name: str,
    *,
    urls: dict[str, str],
    settings: dict[str, str],
    sink: TextIO | None = None,
    port: int | None = None,
) -> ServerHandle:
    """`python -m services.<name>` on a free port with `settings` as its environment;
    started and stopped through the handle."""
    port = port or free_port()
    addr = f"{LOOPBACK}:{port}"
    env = app_env(os.environ, urls, repo_root=REPO_ROOT, log_format="json")
    env.update(settings, GRPC_PORT=str(port), SHUTDOWN_GRACE_SECONDS="1")
    ready = waiter(name, partial(check_grpc_health, addr), timeout=30)
    argv = [sys.executable, "-m", f"services.{name}"]
    return ServerHandle(name, addr, port, None, argv, env, ready, sink, cwd=REPO_ROOT)
