"""A child process of the launcher, with its output streamed under a name prefix.

Each child runs in its own session, so a Ctrl-C in the terminal reaches only the
launcher, which then stops the children in order. On Linux each child also asks the
kernel for SIGTERM when the thread that started it dies, so a SIGKILLed launcher leaves
nothing behind. That "thread" is why every child is started by one spawner thread that
lives as long as the launcher: a child started from a short-lived thread (say through
`asyncio.to_thread` in a test) would otherwise be killed when that thread ends.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import ctypes.util
import functools
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, TextIO

from libs.stack.errors import StackStartError
from libs.stack.output import is_tty, line_prefix, write_to

TAIL_LINES = 50
_PR_SET_PDEATHSIG = 1
_spawner = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="spawner")


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _die_with_launcher() -> Callable[[], None] | None:
    if not sys.platform.startswith("linux"):
        return None
    libc = _libc()
    launcher_pid = os.getpid()
    sigterm = int(signal.SIGTERM)

    def request_sigterm_on_launcher_death() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, sigterm)
        if os.getppid() != launcher_pid:  # the launcher died before prctl took effect
            os._exit(1)

    return request_sigterm_on_launcher_death


def _spawn(
    argv: list[str], env: dict[str, str] | None, cwd: Path | None
) -> subprocess.Popen[bytes]:
    # prctl has no stdlib wrapper; the hook makes two syscalls and nothing else.
    return subprocess.Popen(
        argv,
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_die_with_launcher(),  # noqa: PLW1509
    )


def _kill_unclaimed(spawned: concurrent.futures.Future[subprocess.Popen[bytes]]) -> None:
    if spawned.exception() is None:
        popen = spawned.result()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(popen.pid, signal.SIGKILL)
        popen.wait()


class ManagedProcess:
    """One child: start it, follow its output, and stop it (SIGTERM, then SIGKILL)."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        sink: TextIO | None = None,
        tail_lines: int = TAIL_LINES,
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.env = dict(env) if env is not None else None
        self.cwd = cwd
        self._sink = sink
        self._prefix = line_prefix(name, colour=is_tty(sink))
        self._tail: deque[str] = deque(maxlen=tail_lines)
        self._tail_lock = threading.Lock()
        self._popen: subprocess.Popen[bytes] | None = None
        self._reader: threading.Thread | None = None

    def start(self) -> None:
        if self.alive:
            raise RuntimeError(f"{self.name} is already running (pid {self.pid})")
        self._tail.clear()
        spawned = _spawner.submit(_spawn, self.argv, self.env, self.cwd)
        try:
            self._popen = spawned.result()
        except OSError as error:
            raise StackStartError(self.name, f"cannot run {self.argv[0]}: {error}") from error
        except BaseException:  # interrupted while spawning: the child must not outlive us
            spawned.add_done_callback(_kill_unclaimed)
            raise
        assert self._popen.stdout is not None
        self._reader = threading.Thread(
            target=self._follow, args=(self._popen.stdout,), name=f"{self.name}-output", daemon=True
        )
        self._reader.start()

    @property
    def pid(self) -> int | None:
        return self._popen.pid if self._popen is not None else None

    @property
    def returncode(self) -> int | None:
        """The exit code (negative signal number if killed), or None while it runs."""
        popen = self._popen
        if popen is None or popen.returncode is not None:
            return None if popen is None else popen.returncode
        # Peek without reaping: while the child is unreaped its pid, and so its
        # process-group id, cannot be reused, which keeps stop()'s killpg safe.
        if not hasattr(os, "waitid"):
            return popen.poll()
        try:
            info = os.waitid(os.P_PID, popen.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return popen.poll()
        if info is None:
            return None
        return info.si_status if info.si_code == os.CLD_EXITED else -info.si_status

    @property
    def alive(self) -> bool:
        return self._popen is not None and self.returncode is None

    def last_lines(self) -> list[str]:
        """The last lines the child wrote; once it has exited, including its final words."""
        reader = self._reader
        if reader is not None and reader.is_alive() and self.returncode is not None:
            reader.join(timeout=2)
        with self._tail_lock:
            return list(self._tail)

    def wait(self, timeout: float | None = None) -> int | None:
        """Wait for the child to exit; its exit code, or None if it still runs."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.returncode) is None and self._popen is not None:
            if deadline is not None and time.monotonic() >= deadline:
                return None
            time.sleep(0.05)
        return code

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM the child's process group, SIGKILL it after `timeout`; the exit code."""
        popen = self._popen
        if popen is None:
            return None
        if popen.returncode is None and self.alive:
            self._signal_group(signal.SIGTERM)
            self.wait(timeout)
        # Whatever is left of the group (the leader past its grace, or grandchildren
        # that outlived it) is killed; the leader is still unreaped here.
        return self.kill()

    def kill(self) -> int | None:
        """SIGKILL the child's process group at once, as a crash would; the exit code.

        No SIGTERM first, so the child gets no chance to drain, flush or clean up.
        """
        popen = self._popen
        if popen is None:
            return None
        if popen.returncode is None:
            self._signal_group(signal.SIGKILL)
            popen.wait()
        if self._reader is not None:
            self._reader.join(timeout=5)
        return popen.returncode

    def _signal_group(self, signum: signal.Signals) -> None:
        assert self._popen is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._popen.pid, signum)

    def _follow(self, stream: IO[bytes]) -> None:
        with stream:
            for raw in iter(stream.readline, b""):
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                with self._tail_lock:
                    self._tail.append(line)
                self._write(line)

    def _write(self, line: str) -> None:
        sink = self._sink
        if sink is None:
            return
        try:
            write_to(sink, f"{self._prefix}{line}\n")
        except (OSError, ValueError):  # the sink was closed; keep draining the pipe
            self._sink = None
