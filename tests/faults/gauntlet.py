"""Kill each part of the running platform in turn under load, bring it back, gather evidence.

The sequence, per part: load runs for a while, the part gets SIGKILL (no drain, no
cleanup), stays down while the load goes on, is started again in place (same port, same
data) and the load goes on a little longer. Afterwards every purchase that failed is sent
again, abandoned holds are left to expire, and the evidence is read back: ledgers and
balances through the gateway, reconciliation, the events in the stream, the outboxes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from gateway.settings import GatewaySettings
from libs.stack.platform import Stack
from tests.faults.campaigns import BONUS_SKU, Launched, launch, results_of, snapshot
from tests.faults.campaigns import settled as campaigns_settled
from tests.faults.evidence import (
    StreamEvent,
    answered,
    balance,
    ledger,
    points_events,
    redemptions,
    unpublished_outbox_rows,
)
from tests.faults.load import HOLD_SECONDS, LoadDriver, Purchase, an_order, send
from tests.faults.stages import Stages

TENANT = "sandbox"  # no campaigns but the run's own, which pay only on their SKU
# The database dies between the member service and the gateway, so the parts after it
# show that everything reconnects to it by itself.
VICTIMS = ("points", "campaign", "member", "mongo", "gateway", "nats", "redis")
MEMBERS = 24
BEFORE_KILL_SECONDS = 5.0  # the last seconds of it show the part serving again
DOWN_SECONDS = 3.0
# Right before each kill a burst of purchases starts, and the kill comes while they run.
BURST = 6
BURST_HEAD_START_SECONDS = 0.03
AFTER_RESTART_SECONDS = 3.0
# Longer than the database keeps the transaction of a killed client (and so its locks):
# 60 s, MongoDB's transactionLifetimeLimitSeconds, which SecantusDB matches.
RETRY_SECONDS = 90.0
SETTLE_SECONDS = 45.0  # past the last hold's expiry, for the sweep and the relays
# Budget a killed process had leased comes back a lease's grace after it restarted (and
# after a database outage), which may be after the load stopped: qualifying orders go on
# until the budgeted campaign has used its budget, as API.md's "with enough qualifying
# orders it uses its budget exactly" asks, for at most this long.
USE_UP_SECONDS = 150.0
USE_UP_BATCH = 8
CLIENT_TIMEOUT_SECONDS = 30.0


Watch = Callable[[str], Awaitable[None]]


@dataclass
class Phase:
    """One part's fault: when it was killed and when it answered again."""

    part: str
    killed_at: float = 0.0
    back_at: float = 0.0
    exit_code: int | None = None

    def covers(self, moment: float) -> bool:
        """Whether a request started at `moment` found the part down."""
        return self.killed_at <= moment < self.back_at


@dataclass
class FaultReport:
    phases: list[Phase]
    purchases: list[Purchase]
    redemptions: list[Any]
    members: list[str]
    deadline_seconds: float
    campaigns: list[Launched] = field(default_factory=list)
    ledgers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    holds: dict[str, dict[str, Any]] = field(default_factory=dict)  # by redemption id
    balances: dict[str, dict[str, Any]] = field(default_factory=dict)
    events: list[StreamEvent] = field(default_factory=list)
    drifting: list[Any] = field(default_factory=list)
    unpublished: dict[str, int] = field(default_factory=dict)
    stack_log: str = ""

    def phase(self, part: str) -> Phase:
        return next(p for p in self.phases if p.part == part)


def gateway_deadline(stack: Stack) -> float:
    """The deadline the gateway puts on each call to a service, as this stack runs it."""
    given = (stack.handle("gateway").env or {}).get("GRPC_TIMEOUT_SECONDS")
    return float(given or GatewaySettings.model_fields["grpc_timeout_seconds"].default)


def headers(stack: Stack, channel: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.credentials['tenants'][TENANT][channel]}"}


async def enrol_members(http: httpx.AsyncClient, count: int) -> list[str]:
    """Members with points enough for every hold the load will place."""
    members = []
    for number in range(count):
        phone = f"+86139{(time.time_ns() + number) % 10**8:08d}"
        body = {"store_id": "S001", "identities": [{"type": "phone", "value": phone}]}
        created = await http.post("/v1/members", json=body)
        assert created.status_code == 201, created.text
        member_id = created.json()["member_id"]
        earned = await http.post("/v1/orders", json=an_order(member_id))
        assert earned.status_code == 201, earned.text
        members.append(member_id)
    return members


async def kill_in_turn(
    stack: Stack, driver: LoadDriver, parts: tuple[str, ...], watch: Watch, stages: Stages
) -> list[Phase]:
    phases = []
    for part in parts:
        phase = Phase(part)
        await asyncio.sleep(BEFORE_KILL_SECONDS)
        driver.burst(BURST)
        await asyncio.sleep(BURST_HEAD_START_SECONDS)
        phase.killed_at = time.monotonic()
        with stages.stage(f"kill {part}"):
            phase.exit_code = await asyncio.to_thread(stack.kill, part)
        await asyncio.sleep(DOWN_SECONDS)
        with stages.stage(f"start {part} again"):
            await asyncio.to_thread(stack.handle(part).start)
        phase.back_at = time.monotonic()
        phases.append(phase)
        await watch(f"{part} back")
    await asyncio.sleep(AFTER_RESTART_SECONDS)
    return phases


async def retry_failed(http: httpx.AsyncClient, purchases: list[Purchase]) -> None:
    """Send each failed purchase again, same order id and body, until it is answered."""
    deadline = time.monotonic() + RETRY_SECONDS
    while unsettled := [p for p in purchases if not p.attempts[-1].succeeded]:
        if time.monotonic() > deadline:
            return
        for purchase in unsettled:
            purchase.attempts.append(
                await send(http, "purchase", purchase.member_id, "/v1/orders", purchase.body)
            )
        await asyncio.sleep(2.0)


async def run_gauntlet(
    stack: Stack,
    parts: tuple[str, ...] = VICTIMS,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    observe: Watch | None = None,
    stages: Stages | None = None,
) -> FaultReport:
    """The faults; every request goes through `transport` when given (one that spreads
    them over several gateways, say), and `observe` looks on each time a part is back.
    `stages` records how long each step took."""
    stages = stages or Stages()
    timeout = httpx.Timeout(CLIENT_TIMEOUT_SECONDS)
    pos, operator = headers(stack, "pos"), headers(stack, "operator")
    async with httpx.AsyncClient(
        base_url=stack.gateway_url, timeout=timeout, headers=pos, transport=transport
    ) as http:
        with stages.stage("enrol members"):
            members = await enrol_members(http, MEMBERS)
        with stages.stage("launch campaigns"):
            campaigns = await launch(http, operator)

        async def watch(after: str) -> None:
            with stages.stage(f"watch: {after}"):
                await snapshot(http, operator, campaigns, after)
                if observe is not None:
                    await observe(after)

        driver = LoadDriver(http, members)
        load = asyncio.create_task(driver.run())
        try:
            phases = await kill_in_turn(stack, driver, parts, watch, stages)
        finally:
            driver.stop()
            await load
        with stages.stage("retry failed purchases"):
            await retry_failed(http, driver.purchases)
        with stages.stage("use up the budget"):
            await use_up_budget(http, operator, campaigns[0], members, driver.purchases)
        report = FaultReport(
            phases,
            driver.purchases,
            driver.redemptions,
            members,
            gateway_deadline(stack),
            campaigns=campaigns,
        )
        with stages.stage("wait for holds to expire"):
            await asyncio.sleep(max(0.0, driver.last_hold_at + HOLD_SECONDS + 5 - time.monotonic()))
        with stages.stage("settle and read evidence"):
            await settle(stack, http, report, operator)
    report.stack_log = (stack.var_dir / "stack.log").read_text(encoding="utf-8")
    return report


async def use_up_budget(
    http: httpx.AsyncClient,
    operator: dict[str, str],
    budgeted: Launched,
    members: list[str],
    purchases: list[Purchase],
) -> None:
    """Qualifying orders until `budgeted` has granted its whole budget: none left, none
    reserved by a lease (each order kept with the others)."""
    deadline = time.monotonic() + USE_UP_SECONDS
    turn = 0
    while time.monotonic() < deadline:
        results = await results_of(http, operator, budgeted.campaign_id)
        if results is not None and results["budget_left"] == results["points_reserved"] == 0:
            return
        for _ in range(USE_UP_BATCH):
            member_id = members[turn % len(members)]
            turn += 1
            purchase = Purchase(an_order(member_id, BONUS_SKU))
            purchases.append(purchase)
            purchase.attempts.append(
                await send(http, "purchase", member_id, "/v1/orders", purchase.body)
            )
        await asyncio.sleep(2.0)


async def settle(
    stack: Stack, http: httpx.AsyncClient, report: FaultReport, operator: dict[str, str]
) -> None:
    """Read the evidence until holds are released and every entry's event is out."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        await read_evidence(stack, http, report, operator)
        if settled(report) or time.monotonic() > deadline:
            return
        await asyncio.sleep(2.0)


async def read_evidence(
    stack: Stack, http: httpx.AsyncClient, report: FaultReport, operator: dict[str, str]
) -> None:
    for member_id in report.members:
        report.ledgers[member_id] = await ledger(http, member_id)
        report.balances[member_id] = await balance(http, member_id)
        for held in await redemptions(http, member_id, operator):
            report.holds[held["redemption_id"]] = held
    report.events = await points_events(stack.urls["nats"], TENANT)
    path = "/v1/admin/points/reconciliation"
    answer = await answered(lambda: http.post(path, headers=operator), path)
    assert answer.status_code == 200, answer.text
    report.drifting = answer.json()["drifting"]
    report.unpublished = await unpublished_outbox_rows(stack.urls["mongo"])
    await snapshot(http, operator, report.campaigns, "settled")


def settled(report: FaultReport) -> bool:
    announced = {entry_id for event in report.events for entry_id in event.entry_ids}
    written = {e["entry_id"] for entries in report.ledgers.values() for e in entries}
    no_holds = all(b["held"] == 0 for b in report.balances.values())
    quiet = no_holds and campaigns_settled(report.campaigns)
    return quiet and written <= announced and not any(report.unpublished.values())
