"""How long each stage of the fault run took, what the load's requests got meanwhile,
what each process was waiting on when the run gave up, and what the platform logged as
it went wrong: printed at the end of a run that failed, so a red CI names where the time
went."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from libs.stack.apps import SERVICES
from libs.stack.platform import Stack
from libs.task_census import CENSUS_SIGNAL
from tests.faults.load import Outcome

LOUD = ("warning", "error", "critical")
SHOWN_EVENTS = 15
SHOWN_LINES = 12
LINE_CHARACTERS = 240
CENSUS_PLACES = 8
IDLE_SERVER_SLOT = "_request_registered_call"  # a gRPC server waiting for a call to come
CENSUS_WAIT_SECONDS = 2.0


@dataclass
class Stages:
    began: float = field(default_factory=time.monotonic)
    took: list[tuple[str, float, float]] = field(default_factory=list)  # name, start, seconds
    failed_in: str = ""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.monotonic()
        try:
            yield
        except BaseException:
            self.failed_in = self.failed_in or name
            raise
        finally:
            self.took.append((name, start - self.began, time.monotonic() - start))

    def lines(self) -> list[str]:
        shown = [f"{'stage':<28} {'began at':>9} {'took':>8}"]
        shown += [f"{name:<28} {at:>8.1f}s {took:>7.1f}s" for name, at, took in self.took]
        if self.failed_in:
            shown.append(f"failed in: {self.failed_in}")
        return shown

    def windows(self) -> list[tuple[str, float, float]]:
        """Each stage from its start until the next one's (the last until now): name and
        monotonic start and end, so every moment of the run falls in one."""
        starts = sorted((self.began + at, name) for name, at, _ in self.took)
        ends = [start for start, _ in starts[1:]] + [time.monotonic()]
        return [(name, start, end) for (start, name), end in zip(starts, ends, strict=True)]


def loud_lines(stack_log: Path) -> list[str]:
    """The warnings and errors of the stack's log: how many of each, and the last few."""
    if not stack_log.exists():
        return [f"no stack log at {stack_log}"]
    counts: Counter[str] = Counter()
    last: list[str] = []
    for part, entry in _entries(stack_log):
        if entry.get("level") not in LOUD:
            continue
        counts[f"{part} {entry.get('event')}"] += 1
        line = f"{part} | {json.dumps(entry)}"
        last = [*last[-(SHOWN_LINES - 1) :], line[:LINE_CHARACTERS]]
    shown = [f"{n:>6}  {what}" for what, n in counts.most_common(SHOWN_EVENTS)]
    return ["warnings and errors logged, by part and event:", *shown, "the last ones:", *last]


def outcome_lines(stages: Stages, outcomes: Iterable[Outcome]) -> list[str]:
    """What the load's requests got in each stage's window: how many of each answer."""
    sent = list(outcomes)
    shown = ["what the load's requests got, by the stage they were sent in:"]
    for name, start, end in stages.windows():
        got = Counter(
            str(o.status) if o.status is not None else (o.error or "no answer")
            for o in sent
            if start <= o.started < end
        )
        if got:
            counts = ", ".join(f"{what}: {n}" for what, n in sorted(got.items()))
            shown.append(f"  {name:<28} {counts}")
    return shown


def census_lines(stack: Stack, stack_log: Path) -> list[str]:
    """Ask each of the platform's processes what its tasks wait on (libs/task_census.py)
    and read their answers from the stack's log; and how busy each process was meanwhile
    (a loop that spins, or a database that cannot keep up, shows here)."""
    pids = {name: h.pid for name, h in stack.handles.items() if h.alive and h.pid is not None}
    before = {name: _cpu_seconds(pid) for name, pid in pids.items()}
    asked = [part for part in (*SERVICES, "gateway") if part in pids]
    for part in asked:
        os.kill(pids[part], CENSUS_SIGNAL)
    time.sleep(CENSUS_WAIT_SECONDS)
    busy = {
        name: (_cpu_seconds(pid) - before[name]) / CENSUS_WAIT_SECONDS for name, pid in pids.items()
    }
    answers: dict[str, dict[str, object]] = {}
    for part, logged in _entries(stack_log):
        if part in asked and logged.get("event") == "task_census":
            answers[part] = logged  # the last one of each part
    shown = [
        "CPU each process used over 2 s: " + ", ".join(f"{n} {b:.0%}" for n, b in busy.items())
    ]
    shown.append("what each process's tasks were waiting on:")
    for part in asked:
        entry = answers.get(part)
        if entry is None:
            shown.append(f"  {part}: no answer (its event loop did not run the census)")
            continue
        places = entry.get("places")
        waiting = (
            [p for p in places if IDLE_SERVER_SLOT not in p] if isinstance(places, list) else []
        )
        top = waiting[:CENSUS_PLACES]
        shown.append(f"  {part}: {entry.get('tasks')} tasks")
        shown += [f"    {str(place)[:LINE_CHARACTERS]}" for place in top]
    return shown


def _cpu_seconds(pid: int) -> float:
    """User and system CPU a process has used so far (Linux), 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _entries(stack_log: Path) -> Iterator[tuple[str, dict[str, object]]]:
    if not stack_log.exists():
        return
    for line in stack_log.read_text(encoding="utf-8", errors="replace").splitlines():
        part, _, body = line.partition(" | ")
        try:
            entry = json.loads(body)
        except ValueError:
            continue
        if isinstance(entry, dict):
            yield part.strip(), entry
