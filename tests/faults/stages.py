"""How long each stage of the fault run took, and what the platform logged as it went
wrong: printed at the end of a run that failed, so a red CI names where the time went."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

LOUD = ("warning", "error", "critical")
SHOWN_EVENTS = 15
SHOWN_LINES = 12
LINE_CHARACTERS = 240


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


def loud_lines(stack_log: Path) -> list[str]:
    """The warnings and errors of the stack's log: how many of each, and the last few."""
    counts: Counter[str] = Counter()
    last: list[str] = []
    if not stack_log.exists():
        return [f"no stack log at {stack_log}"]
    for line in stack_log.read_text(encoding="utf-8", errors="replace").splitlines():
        part, _, body = line.partition(" | ")
        try:
            entry = json.loads(body)
        except ValueError:
            continue
        if not isinstance(entry, dict) or entry.get("level") not in LOUD:
            continue
        counts[f"{part.strip()} {entry.get('event')}"] += 1
        last = [*last[-(SHOWN_LINES - 1) :], line[:LINE_CHARACTERS]]
    shown = [f"{n:>6}  {what}" for what, n in counts.most_common(SHOWN_EVENTS)]
    return ["warnings and errors logged, by part and event:", *shown, "the last ones:", *last]
