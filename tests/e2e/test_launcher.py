"""`make run` as a newcomer uses it: up, usable, stopped by Ctrl-C, data kept for next time."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from uuid import uuid4

import httpx

from conftest import hermetic_environ
from libs.stack.apps import REPO_ROOT

READY_LINE = "The loyalty platform is up."


class Launcher:
    """`python -m libs.stack run` in a subprocess, its output collected by a thread."""

    def __init__(self, var_dir: Path) -> None:
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "libs.stack", "run", "--free-ports", "--var-dir", str(var_dir)],
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
            if READY_LINE in line:
                self.ready.set()

    def wait_ready(self, timeout: float = 120) -> None:
        if not self.ready.wait(timeout):
            self.process.kill()
            raise AssertionError("the launcher never came up:\n" + "".join(self.lines[-40:]))

    def interrupt(self, timeout: float = 60) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout)


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


def enrol_and_read_back(credentials: dict[str, object], phone: str) -> str:
    url = str(credentials["gateway_url"])
    key = credentials["tenants"]["demo"]["pos"]  # type: ignore[index]
    headers = {"Authorization": f"Bearer {key}"}
    body = {"channel": "pos", "store_id": "S001", "identities": [{"type": "phone", "value": phone}]}
    created = httpx.post(f"{url}/v1/members", json=body, headers=headers, timeout=10)
    assert created.status_code == 201, created.text
    member_id = str(created.json()["member_id"])
    assert (
        httpx.get(f"{url}/v1/members/{member_id}", headers=headers, timeout=10).status_code == 200
    )
    return member_id


def test_the_launcher_serves_the_platform_stops_on_ctrl_c_and_keeps_its_data(
    tmp_path: Path,
) -> None:
    var_dir = tmp_path / "var"
    phone = f"+86135{uuid4().int % 10**8:08d}"

    first = Launcher(var_dir)
    first.wait_ready()
    output = "".join(first.lines)
    credentials = json.loads((var_dir / "dev-credentials.json").read_text())
    for channel in ("pos", "ecommerce", "miniprogram", "app", "operator"):
        assert credentials["tenants"]["demo"][channel] in output
        assert credentials["tenants"]["sandbox"][channel]
    assert f"{credentials['gateway_url']}/docs" in output
    member_id = enrol_and_read_back(credentials, phone)
    started = descendants(first.process.pid)
    assert len(started) >= 7  # three servers, three services, the gateway
    assert first.interrupt() == 0
    time.sleep(0.5)
    assert [pid for pid in started if alive(pid)] == []

    second = Launcher(var_dir)
    second.wait_ready()
    again = json.loads((var_dir / "dev-credentials.json").read_text())
    assert again["tenants"] == credentials["tenants"]
    url = again["gateway_url"]
    headers = {"Authorization": f"Bearer {again['tenants']['demo']['pos']}"}
    found = httpx.get(
        f"{url}/v1/members/lookup", params={"type": "phone", "value": phone}, headers=headers
    )
    assert found.status_code == 200
    assert found.json()["member_id"] == member_id
    assert second.interrupt() == 0
