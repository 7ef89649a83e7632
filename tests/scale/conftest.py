"""The scale run: the platform as a small cluster (three NATS nodes, the stream replicated
on each, two replicas of every service and of the gateway), the load spread over both
gateways, and one of each kind of part killed in turn (tests/faults' gauntlet). The
evidence is gathered once per session; each test judges one promise against it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from _pytest.terminal import TerminalReporter

from libs.stack.cluster import ClusterStack
from tests.faults.conftest import HOLD_TTL_SECONDS
from tests.faults.gauntlet import FaultReport, run_gauntlet
from tests.faults.summary import summary_lines
from tests.scale.spread import Backlog, ConsumerWork, Spread, backlogs
from tests.support.environ import hermetic_environ
from tests.support.polling import settled

# One NATS node, then one replica of each service and one gateway. The first replica of
# a part keeps its plain name (`points`, `gateway`), the second is `points-2`.
VICTIMS = ("nats-2", "points", "member-2", "campaign", "analytics-2", "gateway")
# Past a killed consumer's ack wait (30 s), when the stream gives its events to another.
CONSUMERS_SETTLE_SECONDS = 90.0


@dataclass
class ScaleReport:
    faults: FaultReport
    work: ConsumerWork
    backlogs: dict[str, Backlog]
    seconds: float


SCALE = pytest.StashKey[ScaleReport]()
STARTED = pytest.StashKey[float]()


@pytest.fixture(scope="session")
def scale_stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ClusterStack]:
    """The cluster, its campaign holds and leases given back 45 s after their time."""
    request.config.stash[STARTED] = time.monotonic()
    root = tmp_path_factory.mktemp("cluster")
    env = {**hermetic_environ(), "RESERVATION_TTL_SECONDS": str(HOLD_TTL_SECONDS)}
    with (
        (root / "stack.log").open("w", encoding="utf-8") as log,
        ClusterStack(root, env=env, log_sink=log) as stack,
    ):
        yield stack


async def _run(stack: ClusterStack, started: float) -> ScaleReport:
    work = ConsumerWork()

    async def observe(_: str) -> None:
        await work.read(stack)

    transport = Spread(stack.gateway_urls)
    faults = await run_gauntlet(stack, VICTIMS, transport=transport, observe=observe)
    durables = sorted({durable for _, _, durable in work.seen})
    nats_url = stack.urls["nats"]
    left = await settled(
        lambda: backlogs(nats_url, durables),
        lambda found: all(b.pending == b.unacked == 0 for b in found.values()),
        within=CONSUMERS_SETTLE_SECONDS,
        pause=2.0,
    )
    await work.read(stack)
    return ScaleReport(faults, work, left, time.monotonic() - started)


@pytest.fixture(scope="session")
def scale_report(request: pytest.FixtureRequest, scale_stack: ClusterStack) -> ScaleReport:
    started = request.config.stash.get(STARTED, time.monotonic())
    report = asyncio.run(_run(scale_stack, started))
    request.config.stash[SCALE] = report
    return report


@pytest.fixture(scope="session")
def fault_report(scale_report: ScaleReport) -> FaultReport:
    """The name tests/faults' judgements ask for, so they judge the cluster's run too."""
    return scale_report.faults


def pytest_terminal_summary(terminalreporter: TerminalReporter, config: pytest.Config) -> None:
    report = config.stash.get(SCALE, None)
    if report is None:
        return
    terminalreporter.section("scale")
    for line in summary_lines(report.faults):
        terminalreporter.write_line(line)
    for durable, counts in sorted(report.work.by_durable().items()):
        shown = ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))
        terminalreporter.write_line(f"{durable}: {shown}")
    seconds = f"{report.seconds:.0f}s"
    terminalreporter.write_line(f"from the cluster's start to the evidence read: {seconds}")
