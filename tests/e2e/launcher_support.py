"""`python -m libs.stack` run as a newcomer runs it, in a subprocess, and what it leaves."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from libs.stack.apps import REPO_ROOT
from tests.support.environ import hermetic_environ

READY_LINE = "The loyalty platform is up."


class Launcher:
    """`python -m libs.stack <command>` in a subprocess, its output collected by a thread."""

    def __init__(
        self,
        var_dir: Path,
        *options: str,
        command: str = "run",
        ready_line: str = READY_LINE,
    ) -> None:
        self.lines: list[str] = []
        self.ready = threading.Event()
        self._ready_line = ready_line
        argv = [sys.executable, "-m", "libs.stack", command, "--free-ports"]
        self.process = subprocess.Popen(
            [*argv, "--var-dir", str(var_dir), *options],
            cwd=REPO_ROOT,
            env=hermetic_environ(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if self._ready_line in line:
                self.ready.set()

    def wait_ready(self, timeout: float = 120) -> None:
        if not self.ready.wait(timeout):
            self.process.kill()
            raise AssertionError("the launcher never came up:\n" + self.tail())

    def interrupt(self, timeout: float = 60) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout)

    def __enter__(self) -> Launcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Whatever the test found, the launcher (and with it everything) is stopped."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def tail(self, count: int = 40) -> str:
        return "".join(self.lines[-count:])


def descendants(pid: int) -> set[int]:
    """Every process below `pid`, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    pending = [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.add(child)
            pending.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
