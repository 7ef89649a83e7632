"""The audit trail as CSV rows (pure): one row per entry, changes as JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from gateway.edge.audit.trail import AuditEntry

HEADER = (
    "entry_id",
    "at",
    "actor_kind",
    "actor_id",
    "role",
    "client_address",
    "user_agent",
    "request_id",
    "method",
    "route",
    "status",
    "resources",
    "changes",
    "replayed",
)
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _row(entry: AuditEntry) -> list[str]:
    changes = [
        {"field": c.field, "personal": True}
        if c.personal
        else {"field": c.field, "before": c.before, "after": c.after}
        for c in entry.changes
    ]
    cells = [
        entry.entry_id,
        entry.at.isoformat(),
        entry.actor.kind,
        entry.actor.id,
        entry.actor.role,
        entry.origin.client_address,
        entry.origin.user_agent,
        entry.origin.request_id,
        entry.method,
        entry.route,
        str(entry.status),
        " ".join(f"{r.kind}:{r.id}" for r in entry.resources),
        json.dumps(changes, ensure_ascii=False, default=str, sort_keys=True),
        "true" if entry.replayed else "false",
    ]
    return [safe_cell(cell) for cell in cells]


def csv_lines(entries: Iterable[AuditEntry], *, header: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(HEADER)
    for entry in entries:
        writer.writerow(_row(entry))
    return out.getvalue()
