"""A bulk adjustment run in the background adds up its steps into the file's report."""

from __future__ import annotations

from gateway.points.admin_answers import BulkReportOut, RejectedRowOut
from gateway.points.admin_bulk_steps import add_step, bulk_input, first_report, input_rows
from gateway.points.admin_csv import CsvRow, RowProblem


def a_step(accepted: int, already: int, rejected_rows: list[int]) -> BulkReportOut:
    rejected = [
        RejectedRowOut(row=r, member_id="mem_x", reason="no", code="member_not_found")
        for r in rejected_rows
    ]
    return BulkReportOut(
        file_id="F",
        rows=accepted + already,
        accepted=accepted,
        already_applied=already,
        rejected=rejected,
    )


def test_steps_add_up_into_the_files_report_with_rejected_rows_in_row_order() -> None:
    report = first_report("F", 250, [RowProblem(7, "bad id", "member_id: …")])

    report = add_step(report, a_step(99, 0, [120]))
    report = add_step(report, a_step(40, 60, [3]))

    assert (report["file_id"], report["rows"]) == ("F", 250)
    assert (report["accepted"], report["already_applied"]) == (139, 60)
    assert [r["row"] for r in report["rejected"]] == [3, 7, 120]


def test_the_rows_kept_to_run_are_read_back_as_they_were() -> None:
    rows = [CsvRow(1, "mem_a", 5, "gift"), CsvRow(3, "mem_b", -2, "clawback")]

    kept = bulk_input("F", "key:k1", rows)

    assert (kept["file_id"], kept["actor"]) == ("F", "key:k1")
    assert input_rows(kept) == rows
