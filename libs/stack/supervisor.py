"""Keep every part of a running stack up: a part that dies is started again in place.

Each death is logged with the exit code and the part's last lines, and counted. The part
is started again on the same port with the same data, after a delay that grows while it
keeps failing (`RestartPolicy`). A part that keeps failing is given up on: `run()` then
returns 1 and the caller stops the whole stack in order, as on Ctrl-C.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from libs.process_status import ProcessStatus, State, write_status
from libs.stack.errors import StackStartError, failure_report
from libs.stack.policy import RestartHistory, RestartPolicy

logger = logging.getLogger("libs.stack")
POLL_SECONDS = 0.5


class Process(Protocol):
    @property
    def returncode(self) -> int | None: ...

    def last_lines(self) -> list[str]: ...


class Part(Protocol):
    """What the supervisor needs of a part (see `ServerHandle`)."""

    @property
    def external(self) -> bool: ...

    @property
    def alive(self) -> bool: ...

    @property
    def pid(self) -> int | None: ...

    @property
    def process(self) -> Process | None: ...

    def start(self) -> None: ...

    def stop(self, timeout: float = ...) -> int | None: ...


class Stopper(Protocol):
    """What the supervisor needs of the stop signals (see `StopSignals`)."""

    def wait(self, seconds: float) -> bool: ...

    def interrupting(self) -> AbstractContextManager[None]: ...


class Supervisor:
    """Watches the handles (name → handle, in start order) until a stop or a give-up."""

    def __init__(
        self,
        handles: Mapping[str, Part],
        stop: Stopper,
        *,
        policy: RestartPolicy | None = None,
        status_file: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._handles = {name: h for name, h in handles.items() if not h.external}
        self._stop = stop
        self._policy = policy or RestartPolicy()
        self._status_file = status_file
        self._clock = clock
        self.histories = {name: RestartHistory(self._policy) for name in self._handles}
        self.statuses = {name: ProcessStatus(pid=h.pid) for name, h in self._handles.items()}
        self.given_up: str | None = None

    def run(self) -> int:
        """Stay in the foreground until a stop (0) or a part given up on (1)."""
        self.publish()
        while not self._stop.wait(POLL_SECONDS):
            if not self.check_once():
                return 1
        return 0

    def check_once(self) -> bool:
        """Recover every part that has died since; False once one is given up on."""
        for name, handle in self._handles.items():
            if handle.process is not None and not handle.alive and not self._recover(name):
                return False
        return True

    def _recover(self, name: str) -> bool:
        """Restart `name` until it answers again; False if given up, True otherwise."""
        handle = self._handles[name]
        code, lines = _ending(handle)
        handle.stop()  # whatever its children left behind goes with it, and it is reaped
        headline = f"{name} exited with code {code} while running"
        while True:
            delay = self.histories[name].record_failure(self._clock())
            if delay is None:
                return self._give_up(name, code, headline, lines)
            logger.error("%s", failure_report(name, f"{headline}; restarting in {delay:g}s", lines))
            self._set(name, "restarting", code)
            if self._stop.wait(delay):
                return True
            try:
                self._restart(name, code)
            except StackStartError as error:
                code, lines = _ending(handle)
                headline = f"{name} failed to start again: {error.reason}"
                continue
            return True

    def _restart(self, name: str, code: int | None) -> None:
        self.histories[name].restarts += 1
        self._set(name, "restarting", code)
        with self._stop.interrupting():
            self._handles[name].start()
        logger.info("%s is back (restart %d)", name, self.histories[name].restarts)
        self._set(name, "running", code)

    def _give_up(self, name: str, code: int | None, headline: str, lines: list[str]) -> bool:
        policy = self._policy
        reason = (
            f"{headline}; giving up on {name}: it failed {policy.max_failures} times "
            f"within {policy.window_seconds:g}s; stopping the platform"
        )
        logger.error("%s", failure_report(name, reason, lines))
        self.given_up = name
        self._set(name, "given_up", code)
        return False

    def _set(self, name: str, state: State, code: int | None) -> None:
        pid = self._handles[name].pid if state == "running" else None
        self.statuses[name] = ProcessStatus(state, self.histories[name].restarts, code, pid)
        self.publish()

    def publish(self) -> None:
        """Write every part's status to the status file, if there is one."""
        if self._status_file is None:
            return
        try:
            write_status(self._status_file, self.statuses)
        except OSError as error:
            logger.warning("cannot write %s: %s", self._status_file, error)


def _ending(handle: Part) -> tuple[int | None, list[str]]:
    process = handle.process
    if process is None:
        return None, []
    return process.returncode, process.last_lines()
