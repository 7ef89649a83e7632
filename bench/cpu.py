"""CPU seconds each process spent, from /proc/<pid>/stat (user + system time)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def cpu_seconds_from_stat(stat: str, ticks_per_second: int) -> float:
    """utime + stime of a /proc/<pid>/stat line. The process name may hold spaces and
    parentheses, so fields are counted after its last closing parenthesis."""
    fields = stat[stat.rindex(")") + 2 :].split()
    # after the name: state is field 3, utime field 14 and stime field 15 of the line
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / ticks_per_second


def cpu_seconds(pid: int) -> float | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    return cpu_seconds_from_stat(stat, TICKS_PER_SECOND)


def snapshot(pids: Mapping[str, int]) -> dict[str, float]:
    """CPU seconds so far of each named process still running."""
    taken = {name: cpu_seconds(pid) for name, pid in pids.items()}
    return {name: seconds for name, seconds in taken.items() if seconds is not None}
