"""The fault run: one platform, each part killed in turn under load, evidence gathered once.

The tests of this folder each judge one promise against that evidence, so the few
minutes of faults are spent once per session. The run's figures end the session's
output.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from _pytest.terminal import TerminalReporter

from libs.stack.platform import Stack
from tests.faults.gauntlet import FaultReport, run_gauntlet
from tests.faults.load import SENT
from tests.faults.stages import (
    LINE_CHARACTERS,
    Stages,
    census_lines,
    loud_lines,
    outcome_lines,
)
from tests.faults.summary import summary_lines
from tests.support.environ import hermetic_environ

REPORT = pytest.StashKey[FaultReport]()
DIAGNOSIS = pytest.StashKey[list[str]]()
# Campaign holds and budget leases are given back this long after an unsettled order or
# a lease's window (15 minutes in production). docs/campaigns.md assumes an order's
# `points.earned` is read within it; a killed campaign service's unacknowledged events
# come back after the ack wait (30 s), so it is longer than that: with 20 s, such an event
# was counted after its lease had closed (`lease_grant_after_close`) and passed the budget.
HOLD_TTL_SECONDS = 45


@pytest.fixture(scope="session")
def fault_report(request: pytest.FixtureRequest, platform_stack: Stack) -> FaultReport:
    stages = Stages()
    try:
        report = asyncio.run(run_gauntlet(platform_stack, stages=stages))
    except Exception as error:
        # Said here, in the error every test of the session shows, and not only in the
        # session's summary: a CI log cut to its first and last lines keeps it.
        diagnosis = why_it_failed(stages, platform_stack, error)
        request.config.stash[DIAGNOSIS] = diagnosis
        pytest.fail("\n".join(diagnosis), pytrace=False)
    request.config.stash[REPORT] = report
    return report


def why_it_failed(stages: Stages, stack: Stack, error: Exception) -> list[str]:
    log = stack.var_dir / "stack.log"
    return [
        f"the fault run failed in stage {stages.failed_in!r}: {str(error)[:LINE_CHARACTERS]}",
        *stages.lines(),
        *outcome_lines(stages, SENT),
        *census_lines(stack, log),
        *loud_lines(log),
    ]


def pytest_terminal_summary(terminalreporter: TerminalReporter, config: pytest.Config) -> None:
    report = config.stash.get(REPORT, None)
    if report is not None:
        terminalreporter.section("faults")
        for line in summary_lines(report):
            terminalreporter.write_line(line)
        return
    diagnosis = config.stash.get(DIAGNOSIS, None)
    if diagnosis is None:
        return
    terminalreporter.section("the fault run did not finish")
    for line in diagnosis:
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def platform_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The whole platform, its campaign holds given back 45 s after an order that never
    settled them (not 15 minutes), so the run settles within its wait."""
    root = tmp_path_factory.mktemp("stack")
    env = {**hermetic_environ(), "RESERVATION_TTL_SECONDS": str(HOLD_TTL_SECONDS)}
    with (
        (root / "stack.log").open("w", encoding="utf-8") as log,
        Stack(root, free_ports=True, env=env, log_sink=log) as stack,
    ):
        yield stack
