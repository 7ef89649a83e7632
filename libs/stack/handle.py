"""A named part of the stack that can be stopped and started again on the same port."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from libs.stack.errors import StackStartError
from libs.stack.process import ManagedProcess
from libs.stack.readiness import check_port, redact

Ready = Callable[[ManagedProcess | None], None]
"""Waits until the part answers; given its process, or None for an external server."""

LOOPBACK = "127.0.0.1"
logger = logging.getLogger(__name__)


@dataclass
class ServerHandle:
    """A server or service of the stack, or an external server given by its URL.

    An external handle (empty `argv`) is never started or stopped, only waited for.
    `start()` after `stop()` or `kill()` brings the process back on the same port with the
    same data directory, so tests can take a server away and restore it.
    """

    name: str
    url: str
    port: int | None
    data_dir: Path | None
    argv: list[str] = field(default_factory=list)
    env: dict[str, str] | None = None
    ready: Ready | None = None
    sink: TextIO | None = None
    busy_port_hint: str = "stop what uses it or pass --free-ports"
    cwd: Path | None = None
    process: ManagedProcess | None = field(default=None, init=False)

    @property
    def external(self) -> bool:
        return not self.argv

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.alive

    def start(self) -> None:
        """Start the process (if this handle owns one) and wait until it answers."""
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start the process without waiting for it; a no-op if external or running."""
        if self.external or self.alive:
            return
        if self.port is not None and check_port(LOOPBACK, self.port) is None:
            reason = f"port {self.port} is already in use; {self.busy_port_hint}"
            raise StackStartError(self.name, reason)
        if self.data_dir is not None:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        logger.info("starting %s", self.name)
        self.process = ManagedProcess(
            self.name, self.argv, env=self.env, cwd=self.cwd or self.data_dir, sink=self.sink
        )
        self.process.start()

    def wait_ready(self) -> None:
        """Wait until the part answers; on failure stop it and raise StackStartError."""
        if self.ready is not None:
            try:
                self.ready(self.process)
            except BaseException:
                self.stop()
                raise
        logger.info("%s is ready at %s", self.name, redact(self.url))

    def stop(self, timeout: float = 10.0) -> int | None:
        """Stop the process (SIGTERM, SIGKILL after `timeout`); its exit code."""
        if self.process is None:
            return None
        if self.process.alive:
            logger.info("stopping %s", self.name)
        return self.process.stop(timeout)

    def kill(self) -> int | None:
        """SIGKILL the process, as a crash would (fault tests); `start()` brings it back."""
        if self.process is None:
            return None
        if self.process.alive:
            logger.info("killing %s", self.name)
        return self.process.kill()


def exited_handles(handles: Iterable[ServerHandle]) -> list[ServerHandle]:
    """The handles whose process was started and has since exited."""
    return [handle for handle in handles if handle.process is not None and not handle.alive]
