"""A bulk adjustment file run by the gateway in the background, in steps of `STEP_ROWS`
rows: what it keeps (the rows to apply, as read when it started) and how each step's
report adds up to the file's (plain data; no I/O)."""

from __future__ import annotations

from typing import Any

from gateway.points.admin_answers import BulkReportOut, RejectedRowOut
from gateway.points.admin_csv import CsvRow, RowProblem

STEP_ROWS = 100


def bulk_input(file_id: str, actor: str, rows: list[CsvRow]) -> dict[str, Any]:
    """What the operation keeps to run: the file id, who adjusts and the rows to send."""
    return {
        "file_id": file_id,
        "actor": actor,
        "rows": [[r.row, r.member_id, r.points, r.reason] for r in rows],
    }


def input_rows(work: dict[str, Any]) -> list[CsvRow]:
    return [CsvRow(int(r), str(m), int(p), str(why)) for r, m, p, why in work["rows"]]


def first_report(file_id: str, rows: int, problems: list[RowProblem]) -> dict[str, Any]:
    """The report before any row was sent: the rows refused as they were read."""
    rejected = [
        RejectedRowOut(row=p.row, member_id=p.member_id, reason=p.reason, code=p.code)
        for p in problems
    ]
    report = BulkReportOut(
        file_id=file_id, rows=rows, accepted=0, already_applied=0, rejected=rejected
    )
    return report.model_dump(mode="json")


def add_step(report: dict[str, Any], step: BulkReportOut) -> dict[str, Any]:
    """The file's report with one more step's rows (rejected rows in row order). A step
    run again after a gateway stopped finds its rows applied: `already_applied`."""
    rejected = [*report["rejected"], *(r.model_dump(mode="json") for r in step.rejected)]
    return {
        **report,
        "accepted": report["accepted"] + step.accepted,
        "already_applied": report["already_applied"] + step.already_applied,
        "rejected": sorted(rejected, key=lambda r: int(r["row"])),
    }
