"""The supervisor over real processes: one that keeps dying is given up on, none is left."""

import logging
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from libs.process_status import read_status
from libs.stack.handle import ServerHandle
from libs.stack.policy import RestartPolicy
from libs.stack.signals import StopSignals
from libs.stack.supervisor import Supervisor

DIES_SOON = (
    "import sys, time\ntime.sleep(0.3)\nprint('cannot open the ledger', flush=True)\nsys.exit(3)\n"
)


def is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"


def test_a_process_that_dies_after_every_start_is_given_up_on_and_none_is_left(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    flaky = ServerHandle("flaky", "-", None, None, [sys.executable, "-c", DIES_SOON])
    policy = RestartPolicy(max_failures=3, window_seconds=60.0, first_delay_seconds=0.05)
    status = tmp_path / "stack-status.json"
    supervisor = Supervisor({"flaky": flaky}, StopSignals(), policy=policy, status_file=status)
    pids = []
    flaky.start()
    pids.append(flaky.pid)
    original_start = flaky.start

    def start_and_note() -> None:
        original_start()
        pids.append(flaky.pid)

    flaky.start = start_and_note  # type: ignore[method-assign]

    with caplog.at_level(logging.INFO, "libs.stack"):
        assert supervisor.run() == 1

    assert len(pids) == policy.max_failures
    assert "giving up on flaky: it failed 3 times within 60s" in caplog.text
    assert "cannot open the ledger" in caplog.text
    assert [pid for pid in pids if pid is None or not is_gone(pid)] == []
    assert read_status(status)["flaky"].state == "given_up"
    assert read_status(status)["flaky"].restarts == 2


def test_what_a_dead_process_left_running_is_killed_before_it_starts_again(
    tmp_path: Path,
) -> None:
    spawns_a_helper = (
        "import subprocess, sys, time\n"
        "helper = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "print(helper.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = ServerHandle("parent", "-", None, None, [sys.executable, "-c", spawns_a_helper])
    policy = RestartPolicy(first_delay_seconds=0.0)
    supervisor = Supervisor({"parent": parent}, StopSignals(), policy=policy)
    parent.start()
    try:
        assert parent.process is not None
        while not parent.process.last_lines():
            time.sleep(0.02)
        helper = int(parent.process.last_lines()[0])
        assert parent.pid is not None
        os.kill(parent.pid, signal.SIGKILL)
        parent.process.wait(5)

        assert supervisor.check_once() is True

        assert is_gone(helper)
        assert parent.alive
    finally:
        parent.stop()
