"""The one error the launcher raises when a part of the stack does not come up."""

from __future__ import annotations

from collections.abc import Sequence


class StackStartError(Exception):
    """A process of the stack failed to start or never became ready.

    Carries which process failed, why, and the last lines it wrote, so the person
    running the stack sees the cause without digging through logs.
    """

    def __init__(self, name: str, reason: str, last_log_lines: Sequence[str] = ()) -> None:
        self.name = name
        self.reason = reason
        self.last_log_lines = list(last_log_lines)
        super().__init__(self.describe())

    def describe(self) -> str:
        headline = f"{self.name} failed to start: {self.reason}"
        return failure_report(self.name, headline, self.last_log_lines)


def failure_report(name: str, headline: str, last_log_lines: Sequence[str]) -> str:
    """A headline followed by the process's last log lines, indented."""
    lines = [headline]
    if last_log_lines:
        lines.append(f"last {len(last_log_lines)} log lines of {name}:")
        lines.extend(f"    {line}" for line in last_log_lines)
    else:
        lines.append(f"{name} wrote no output")
    return "\n".join(lines)
