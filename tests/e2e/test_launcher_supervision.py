"""`make run` keeps serving while its parts crash: the launcher brings each one back.

One platform, started by the launcher as a newcomer starts it. Under steady purchases
each part is killed with SIGKILL in turn, and only the launcher starts it again. The
points service goes first and the database right after it: restarting the database also
drops the transactions the killed service left open, which would otherwise lock their
members' wallets for a minute.
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
from pathlib import Path
from typing import Any

import httpx

from libs.process_status import read_status
from libs.stack.platform import STATUS_FILE
from tests.e2e.launcher_support import Launcher, alive, descendants
from tests.e2e.supervision_support import SERVED_WITHIN_SECONDS, kill_and_recover, redis_kept_down
from tests.faults.evidence import balance, credited_points, ledger
from tests.faults.gauntlet import Phase, enrol_members, retry_failed
from tests.faults.load import PROBLEM_JSON, LoadDriver, Purchase

VICTIMS = ("points", "mongo", "nats", "redis", "member", "campaign", "gateway")
MEMBERS = 8
TENANT = "sandbox"  # no campaigns: a purchase earns its base points
# Two calls in turn under the gateway's 2 s deadline, or its database's 5 s timeout,
# plus a busy machine's margin.
ANSWER_BOUND_SECONDS = 12.0


class Outage:
    """What the load saw while parts were killed, and the ledgers afterwards."""

    def __init__(self) -> None:
        self.phases: list[tuple[Phase, float]] = []
        self.purchases: list[Purchase] = []
        self.ledgers: dict[str, list[dict[str, Any]]] = {}
        self.balances: dict[str, dict[str, Any]] = {}
        self.drifting: list[Any] = []
        self.readiness: dict[str, Any] = {}
        self.metrics = ""


async def crash_each_part(var_dir: Path, credentials: dict[str, Any]) -> Outage:
    keys = credentials["tenants"][TENANT]
    outage = Outage()
    pos = {"Authorization": f"Bearer {keys['pos']}"}
    async with httpx.AsyncClient(
        base_url=credentials["gateway_url"], headers=pos, timeout=30.0
    ) as http:
        members = await enrol_members(http, MEMBERS)
        driver = LoadDriver(http, members, per_second=5.0, purchase_share=1.0)
        load = asyncio.create_task(driver.run())
        try:
            for part in VICTIMS:
                outage.phases.append(await kill_and_recover(var_dir, part, driver))
        finally:
            driver.stop()
            await load
        await retry_failed(http, driver.purchases)
        outage.purchases = driver.purchases
        for member_id in members:
            outage.ledgers[member_id] = await ledger(http, member_id)
            outage.balances[member_id] = await balance(http, member_id)
        operator = {"Authorization": f"Bearer {keys['operator']}"}
        answer = await http.post("/v1/admin/points/reconciliation", headers=operator)
        assert answer.status_code == 200, answer.text
        outage.drifting = answer.json()["drifting"]
        outage.readiness = (await http.get("/readyz")).json()
        outage.metrics = (await http.get("/metrics")).text
    return outage


def assert_each_part_came_back_by_itself(outage: Outage) -> None:
    assert [(phase.part, phase.exit_code) for phase, _ in outage.phases] == [
        (part, -9) for part in VICTIMS
    ]
    slow = {p.part: round(served - p.killed_at, 1) for p, served in outage.phases}
    assert max(slow.values()) <= SERVED_WITHIN_SECONDS, slow
    processes = outage.readiness["processes"]
    assert {part: processes[part]["restarts"] for part in VICTIMS} == dict.fromkeys(VICTIMS, 1)
    assert 'stack_process_restarts_total{process="mongo"} 1' in outage.metrics


def assert_clients_got_clear_answers_in_time(outage: Outage) -> None:
    first = [p.attempts[0] for p in outage.purchases]
    assert [o for o in first if o.timed_out] == []
    assert max(o.elapsed for o in first) <= ANSWER_BOUND_SECONDS
    errors = [o for o in first if o.status is not None and not o.succeeded]
    assert {(o.status, o.content_type) for o in errors} <= {
        (503, PROBLEM_JSON),
        (504, PROBLEM_JSON),
    }


def assert_every_purchase_is_credited_exactly_once(outage: Outage) -> None:
    assert len(outage.purchases) > 50
    assert [p.order_id for p in outage.purchases if not p.attempts[-1].succeeded] == []
    wrong = {
        p.order_id: (credited, p.attempts[-1].body["points_earned"])
        for p in outage.purchases
        if (credited := credited_points(outage.ledgers[p.member_id], p.order_id))
        != p.attempts[-1].body["points_earned"]
    }
    assert wrong == {}
    assert outage.drifting == []
    for member_id, entries in outage.ledgers.items():
        wallet = outage.balances[member_id]
        assert sum(e["points"] for e in entries) == wallet["available"] + wallet["held"]


def test_each_part_killed_under_purchases_is_brought_back_by_the_launcher_and_nothing_is_lost(
    tmp_path: Path,
) -> None:
    var_dir = tmp_path / "var"
    with Launcher(var_dir) as launcher:
        launcher.wait_ready()
        started = descendants(launcher.process.pid)
        credentials = json.loads((var_dir / "dev-credentials.json").read_text())
        outage = asyncio.run(crash_each_part(var_dir, credentials))
        code = launcher.interrupt()
    output = "".join(launcher.lines)

    assert_each_part_came_back_by_itself(outage)
    assert "mongo exited with code -9 while running; restarting in" in output
    assert_clients_got_clear_answers_in_time(outage)
    assert_every_purchase_is_credited_exactly_once(outage)
    assert code == 0
    time.sleep(0.5)
    everything = started | {status.pid for status in read_status(var_dir / STATUS_FILE).values()}
    assert [pid for pid in everything if pid is not None and alive(pid)] == []


def servers_launcher(var_dir: Path, max_failures: int) -> Launcher:
    launcher = Launcher(
        var_dir,
        f"--max-failures={max_failures}",
        command="servers",
        ready_line="Ctrl-C stops them.",
    )
    launcher.wait_ready()
    return launcher


def test_a_server_that_cannot_start_again_is_given_up_on_and_everything_stops(
    tmp_path: Path,
) -> None:
    with servers_launcher(tmp_path / "var", max_failures=3) as launcher:
        started = descendants(launcher.process.pid)
        with redis_kept_down(launcher, tmp_path / "var") as port:
            code = launcher.process.wait(60)
    output = "".join(launcher.lines)

    assert code == 1, launcher.tail()
    assert "giving up on redis: it failed 3 times within 60s" in output
    assert f"port {port} is already in use" in output
    # the last stop of each (a first start also stops mongo once, after making its users)
    assert output.rindex("stopping nats") < output.rindex("stopping mongo")
    assert [pid for pid in started if alive(pid)] == []


def test_sigterm_during_a_restarts_backoff_stops_everything_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    with servers_launcher(tmp_path / "var", max_failures=10) as launcher:
        started = descendants(launcher.process.pid)
        with redis_kept_down(launcher, tmp_path / "var"):
            waiting = "redis failed to start again"
            deadline = time.monotonic() + 30
            while not any(waiting in line for line in launcher.lines):
                assert time.monotonic() < deadline, launcher.tail()
                time.sleep(0.05)
            launcher.process.send_signal(signal.SIGTERM)
            code = launcher.process.wait(30)
    output = "".join(launcher.lines)

    assert code == 0, launcher.tail()
    assert "SIGTERM received; stopping" in output
    assert "giving up" not in output
    # the last stop of each (a first start also stops mongo once, after making its users)
    assert output.rindex("stopping nats") < output.rindex("stopping mongo")
    assert [pid for pid in started if alive(pid)] == []
