import io
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import TextIO

import pytest

from libs.stack.errors import StackStartError
from libs.stack.output import line_prefix
from libs.stack.process import ManagedProcess
from libs.stack.readiness import wait_until
from tests.support.polling import eventually_sync

REPO_ROOT = Path(__file__).resolve().parents[4]


def unique_name() -> str:
    return f"p{uuid.uuid4().hex[:6]}"


def python(script: str, name: str | None = None, sink: TextIO | None = None) -> ManagedProcess:
    return ManagedProcess(name or unique_name(), [sys.executable, "-c", script], sink=sink)


def is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"


class TtySink(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_child_that_ignores_sigterm_is_killed_after_the_grace_timeout() -> None:
    token = uuid.uuid4().hex
    stubborn = python(
        "import signal, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        f"print('{token}', flush=True)\n"
        "time.sleep(60)\n"
    )
    stubborn.start()
    eventually_sync(lambda: token in stubborn.last_lines())

    started = time.monotonic()
    code = stubborn.stop(timeout=0.5)

    assert code == -signal.SIGKILL
    assert 0.5 <= time.monotonic() - started < 5
    assert not stubborn.alive


def test_a_child_that_honours_sigterm_stops_before_the_grace_timeout() -> None:
    child = python("import time; time.sleep(60)")
    child.start()

    started = time.monotonic()
    code = child.stop(timeout=30)

    assert code == -signal.SIGTERM
    assert time.monotonic() - started < 5


def test_a_killed_child_dies_of_sigkill_without_being_asked_to_stop_first() -> None:
    child = python("import time; time.sleep(60)")
    child.start()

    code = child.kill()

    assert code == -signal.SIGKILL
    assert not child.alive
    assert child.kill() == -signal.SIGKILL


def test_every_output_line_is_written_under_the_process_prefix() -> None:
    name, token = unique_name(), uuid.uuid4().hex
    sink = io.StringIO()
    child = python(
        "import sys\n"
        f"print('out {token}', flush=True)\n"
        f"print('err {token}', file=sys.stderr, flush=True)\n",
        name,
        sink=sink,
    )
    child.start()
    assert child.wait(10) == 0
    child.stop()

    prefix = f"{name:<8} | "
    assert line_prefix(name, colour=False) == prefix
    assert sink.getvalue().splitlines() == [f"{prefix}out {token}", f"{prefix}err {token}"]


def test_the_prefix_is_coloured_only_when_the_sink_is_a_terminal() -> None:
    name = unique_name()
    sink = TtySink()
    child = python("print('hello')", name, sink=sink)
    child.start()
    child.wait(10)
    child.stop()

    assert sink.getvalue().startswith("\x1b[")
    assert f"{name:<8} | " in sink.getvalue()
    assert "\x1b" not in line_prefix(name, colour=False)


def test_only_the_last_fifty_lines_are_kept() -> None:
    token = uuid.uuid4().hex
    child = python(f"for i in range(80): print('{token}', i)")
    child.start()
    child.wait(10)
    child.stop()

    assert child.last_lines() == [f"{token} {i}" for i in range(30, 80)]


def test_a_child_that_exits_while_starting_is_reported_with_its_code_and_last_lines() -> None:
    name, token = unique_name(), uuid.uuid4().hex
    child = python(f"import sys; print('cannot bind {token}', flush=True); sys.exit(3)", name)
    child.start()

    started = time.monotonic()
    with pytest.raises(StackStartError) as failure:
        wait_until(name, lambda: "not listening yet", process=child, timeout=30)
    child.stop()

    assert time.monotonic() - started < 10
    assert failure.value.name == name
    assert failure.value.reason == "exited with code 3"
    assert failure.value.last_log_lines == [f"cannot bind {token}"]
    assert f"{name} failed to start: exited with code 3" in str(failure.value)
    assert f"cannot bind {token}" in str(failure.value)


def test_a_child_that_never_becomes_ready_is_reported_at_the_deadline() -> None:
    name = unique_name()
    child = python("print('still warming up', flush=True); import time; time.sleep(60)", name)
    child.start()
    eventually_sync(lambda: bool(child.last_lines()))

    with pytest.raises(StackStartError) as failure:
        wait_until(name, lambda: "port 1 refuses connections", process=child, timeout=0.3)
    child.stop()

    assert failure.value.name == name
    assert "not ready after" in failure.value.reason
    assert "port 1 refuses connections" in failure.value.reason
    assert failure.value.last_log_lines == ["still warming up"]


def test_a_missing_executable_is_reported_with_the_process_name() -> None:
    name = unique_name()
    missing = ManagedProcess(name, [f"/nonexistent/{uuid.uuid4().hex}"])

    with pytest.raises(StackStartError) as failure:
        missing.start()

    assert failure.value.name == name
    assert "cannot run" in failure.value.reason


def test_stopping_a_child_also_ends_the_processes_it_started() -> None:
    parent = python(
        "import subprocess, sys, time\n"
        "grandchild = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "print(grandchild.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent.start()
    eventually_sync(lambda: bool(parent.last_lines()))
    grandchild_pid = int(parent.last_lines()[0])

    parent.stop(timeout=5)

    eventually_sync(lambda: is_gone(grandchild_pid))


def test_a_child_started_from_a_short_lived_thread_outlives_that_thread() -> None:
    child = python("import time; time.sleep(60)")
    starter = threading.Thread(target=child.start)
    starter.start()
    starter.join()

    time.sleep(0.3)

    assert child.alive
    assert child.stop(timeout=5) == -signal.SIGTERM


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_a_child_dies_when_its_launcher_is_killed() -> None:
    launcher = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from libs.stack.process import ManagedProcess\n"
            "sleeper = [sys.executable, '-c', 'import time; time.sleep(60)']\n"
            "child = ManagedProcess('orphan', sleeper)\n"
            "child.start()\n"
            "print(child.pid, flush=True)\n"
            "time.sleep(60)\n",
        ],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert launcher.stdout is not None
    child_pid = int(launcher.stdout.readline())
    assert not is_gone(child_pid)

    launcher.kill()
    launcher.wait()
    launcher.stdout.close()

    eventually_sync(lambda: is_gone(child_pid))
