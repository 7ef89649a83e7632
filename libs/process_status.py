"""The launcher's account of the processes it supervises, kept in a small JSON file.

The launcher (`libs/stack`) writes it whenever a process dies, restarts or is given up
on; the gateway reads it (path in `STACK_STATUS_FILE`) for `/readyz` and `/metrics`.
Without a launcher there is no file and nothing to report.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

State = Literal["running", "restarting", "given_up"]
STATES: tuple[State, ...] = ("running", "restarting", "given_up")


@dataclass(frozen=True)
class ProcessStatus:
    """One supervised process: its state, how often it was restarted, how it last ended."""

    state: State = "running"
    restarts: int = 0
    last_exit_code: int | None = None
    pid: int | None = None


def write_status(path: Path, processes: Mapping[str, ProcessStatus]) -> None:
    """Replace the file atomically, so a reader never sees half of it."""
    text = json.dumps({name: asdict(status) for name, status in processes.items()}, indent=1)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(text + "\n", encoding="utf-8")
    partial.replace(path)


def read_status(path: Path) -> dict[str, ProcessStatus]:
    """The processes the file lists; empty when it is missing or unreadable."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict):
        return {}
    return {str(name): status for name, entry in raw.items() if (status := _parse(entry))}


def _parse(entry: Any) -> ProcessStatus | None:
    if not isinstance(entry, dict):
        return None
    state, restarts = entry.get("state"), entry.get("restarts")
    if state not in STATES or not isinstance(restarts, int):
        return None
    code, pid = entry.get("last_exit_code"), entry.get("pid")
    return ProcessStatus(state, restarts, _int_or_none(code), _int_or_none(pid))


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) else None
