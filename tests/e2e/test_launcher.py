"""`make run` as a newcomer uses it: up, usable, stopped by Ctrl-C, data kept for next time."""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path
from uuid import uuid4

import httpx

from tests.e2e.launcher_support import Launcher, alive, descendants


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
    users_file = var_dir / "mongo-users.json"
    mongo_passwords = json.loads(users_file.read_text())
    assert stat.S_IMODE(users_file.stat().st_mode) == 0o600
    assert not [p for p in mongo_passwords.values() if p in output]
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
    assert json.loads(users_file.read_text()) == mongo_passwords
    assert second.interrupt() == 0
