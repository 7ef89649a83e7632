"""A background operation as a gateway that stopped leaves it: for the tests that a
running gateway resumes it (gateway/tests/integration and tests/e2e)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from gateway.points.admin_bulk_steps import bulk_input, first_report
from gateway.points.admin_csv import read_rows
from gateway.tenancy.operations import operation_doc


def left_bulk_adjustment(
    whoami: dict[str, Any], file_id: str, file: str, *, done: int
) -> dict[str, Any]:
    """The operator's (`whoami`) bulk adjustment of `file`, its first `done` rows recorded
    as applied, its lease run out a second ago."""
    rows, problems = read_rows(file.encode())
    key_id = whoami["key_id"]
    left: dict[str, Any] = operation_doc(
        whoami["tenant_id"],
        key_id,
        "bulk_adjustment",
        file_id,
        len(rows),
        work=bulk_input(file_id, f"key:{key_id}", rows),
        result={**first_report(file_id, len(rows), problems), "accepted": done},
    )
    lease_ran_out = datetime.now(UTC) - timedelta(seconds=1)
    left |= {"done": done, "lease_owner": "a-stopped-gateway", "lease_until": lease_ran_out}
    return left
