"""The analytics reports as CSV: one row per figure, and no cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io

from gateway.analytics.answers import Range, SalesFigures, SalesOut, SalesRow
from gateway.analytics.churn import ChurnOut, MemberAtRiskOut
from gateway.analytics.csv_out import HEADER, csv_response


def figures(**more: object) -> dict[str, object]:
    return {
        "orders": 1,
        "gross": "10.00",
        "returned": "12.50",
        "net": "-2.50",
        "quantity": 1,
        "returned_quantity": 1,
        **more,
    }


def test_each_figure_is_a_row_and_a_formula_from_a_till_is_written_as_text() -> None:
    report = SalesOut(
        range=Range(from_day="2026-11-01", to_day="2026-11-30"),
        currency="CNY",
        total=SalesFigures.model_validate(figures()),
        by_store=[],
        by_channel=[],
        by_category=[],
        by_sku=[
            SalesRow.model_validate({"category": '=HYPERLINK("x")', "sku": "@SUM(A1)", **figures()})
        ],
        by_tier=[],
    )

    rows = list(csv.reader(io.StringIO(bytes(csv_response(report, "sales").body).decode())))

    assert tuple(rows[0]) == HEADER
    net = [r for r in rows if r[0] == "by_sku" and r[-2] == "net"]
    assert [(r[5], r[6], r[-1]) for r in net] == [('\'=HYPERLINK("x")', "'@SUM(A1)", "-2.50")]
    assert ["range", *[""] * (len(HEADER) - 3), "from", "2026-11-01"] in rows


def test_a_list_of_codes_is_one_value_and_a_member_keeps_its_id() -> None:
    member = MemberAtRiskOut(
        member_id="m1",
        tier="gold",
        store_id="S1",
        last_purchase="2026-03-21",
        gap_days=40,
        usual_interval_days=10,
        score=85,
        reasons=["beyond_usual_interval", "returned_last_purchase"],
    )
    report = ChurnOut(
        as_of="2026-04-30",
        assessed=1,
        at_risk=1,
        erased=0,
        by_tier=[],
        by_store=[],
        members=[member],
        next_cursor=None,
        win_back_days=30,
        win_back=[],
    )

    rows = list(csv.DictReader(io.StringIO(bytes(csv_response(report, "c").body).decode())))

    reasons = [(r["member_id"], r["value"]) for r in rows if r["measure"] == "reasons"]
    assert reasons == [("m1", "beyond_usual_interval returned_last_purchase")]
