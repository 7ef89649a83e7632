"""Kill a part of a launcher-run platform and watch the launcher bring it back under load."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from libs.process_status import ProcessStatus, read_status
from libs.stack.platform import STATUS_FILE
from tests.e2e.launcher_support import Launcher
from tests.faults.gauntlet import Phase
from tests.faults.load import LoadDriver

BACK_WITHIN_SECONDS = 45.0  # the launcher's backoff plus the part's own start
SERVED_WITHIN_SECONDS = 20.0  # a purchase is credited again this soon after the kill


def status_of(var_dir: Path, part: str) -> ProcessStatus:
    return read_status(var_dir / STATUS_FILE)[part]


async def until(condition: Callable[[], bool], seconds: float, what: str) -> float:
    """Wait for `condition`; the moment it held. Fails with `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} within {seconds:.0f}s"
        await asyncio.sleep(0.1)
    return time.monotonic()


def served_since(driver: LoadDriver, moment: float) -> bool:
    """Whether a purchase started at or after `moment` was credited on its first attempt."""
    return any(
        p.attempts[0].started >= moment and p.attempts[0].succeeded
        for p in driver.purchases
        if p.attempts
    )


async def kill_and_recover(var_dir: Path, part: str, driver: LoadDriver) -> tuple[Phase, float]:
    """SIGKILL `part` once purchases flow; its phase and when a purchase was served again.

    Nobody but the launcher starts it again.
    """
    steady_from = time.monotonic()
    await until(lambda: served_since(driver, steady_from), SERVED_WITHIN_SECONDS, "no purchase")
    before = status_of(var_dir, part)
    assert before.state == "running", before
    assert before.pid is not None
    phase = Phase(part, killed_at=time.monotonic())
    os.kill(before.pid, signal.SIGKILL)

    def back() -> bool:
        now = status_of(var_dir, part)
        return now.state == "running" and now.restarts == before.restarts + 1

    phase.back_at = await until(back, BACK_WITHIN_SECONDS, f"{part} was not restarted")
    phase.exit_code = status_of(var_dir, part).last_exit_code
    served_at = await until(
        lambda: served_since(driver, phase.back_at), SERVED_WITHIN_SECONDS, f"after {part}"
    )
    return phase, served_at


@contextmanager
def redis_kept_down(launcher: Launcher, var_dir: Path) -> Iterator[int]:
    """Crash the launcher's Redis and hold its port, so every start again fails; the port."""
    found = re.search(r"redis://127\.0\.0\.1:(\d+)/", "".join(launcher.lines))
    assert found is not None
    port = int(found[1])
    redis = status_of(var_dir, "redis")
    assert redis.pid is not None
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        os.kill(redis.pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while not _bound(squatter, port):
            assert time.monotonic() < deadline, "the killed server's port stayed taken"
            time.sleep(0.01)
        squatter.listen()
        yield port


def _bound(sock: socket.socket, port: int) -> bool:
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        return False
    return True
