"""The fault run: one platform, each part killed in turn under load, evidence gathered once.

The tests of this folder each judge one promise against that evidence, so the few
minutes of faults are spent once per session. The run's figures end the session's
output.
"""

from __future__ import annotations

import asyncio

import pytest
from _pytest.terminal import TerminalReporter

from libs.stack.platform import Stack
from tests.faults.gauntlet import FaultReport, run_gauntlet
from tests.faults.summary import summary_lines

REPORT = pytest.StashKey[FaultReport]()


@pytest.fixture(scope="session")
def fault_report(request: pytest.FixtureRequest, platform_stack: Stack) -> FaultReport:
    report = asyncio.run(run_gauntlet(platform_stack))
    request.config.stash[REPORT] = report
    return report


def pytest_terminal_summary(terminalreporter: TerminalReporter, config: pytest.Config) -> None:
    report = config.stash.get(REPORT, None)
    if report is None:
        return
    terminalreporter.section("faults")
    for line in summary_lines(report):
        terminalreporter.write_line(line)
