"""Adjustments from a file: row by row, each row once per file id, a report of the rest."""

from __future__ import annotations

import pytest

from libs.clock import FakeClock
from libs.errors import FailedPrecondition, InvalidArgument
from services.points.domain.bulk import MAX_ROWS, BulkRow, Rejection
from services.points.domain.events import PointsAdjusted
from services.points.handlers import bulk_adjustments
from services.points.handlers.adjustments import AdjustPoints, adjust_points
from services.points.handlers.bulk_adjustments import BulkAdjust, bulk_adjust
from services.points.tests.fakes import FakeUnitOfWork
from services.points.tests.unit.conftest import TENANT


def a_file(*rows: tuple[str, int, str], file_id: str = "F-1") -> BulkAdjust:
    return BulkAdjust(
        TENANT, file_id, [BulkRow(n, *row) for n, row in enumerate(rows, start=1)], "key:k1"
    )


async def test_each_good_row_applies_and_each_bad_one_is_reported_with_its_reason(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    report = await bulk_adjust(
        a_file(("m1", 100, "gift"), ("m2", 0, "nothing"), ("m1", -150, "too much"), ("m2", 5, " ")),
        uow,
        clock,
    )
    assert (report.accepted, report.already_applied) == (1, 0)
    assert [(r.row, r.member_id, r.code) for r in report.rejected] == [
        (2, "m2", "validation_error"),
        (3, "m1", "insufficient_points"),
        (4, "m2", "validation_error"),
    ]
    assert report.rejected[0].reason.startswith("points: ")
    assert report.rejected[2].reason == "reason: required"
    assert (uow.ledger_sum(TENANT, "m1"), uow.ledger_sum(TENANT, "m2")) == (100, 0)
    [event] = uow.published
    assert isinstance(event, PointsAdjusted)
    assert event.adjustment_id == "F-1#1"


async def test_the_same_file_again_applies_nothing_and_says_which_rows_were_applied(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    rows = [("m1", 100, "gift"), ("m1", -150, "too much"), ("m2", 7, "sorry")]
    first = await bulk_adjust(a_file(*rows), uow, clock)
    again = await bulk_adjust(a_file(*rows), uow, clock)
    assert (first.accepted, first.already_applied) == (2, 0)
    assert (again.accepted, again.already_applied) == (0, 2)
    assert [r.row for r in again.rejected] == [2]
    assert (uow.ledger_sum(TENANT, "m1"), uow.ledger_sum(TENANT, "m2")) == (100, 7)
    other_file = await bulk_adjust(a_file(*rows, file_id="F-2"), uow, clock)
    assert (other_file.accepted, uow.ledger_sum(TENANT, "m1")) == (3, 50)


async def test_a_row_changed_under_the_same_file_id_is_a_conflict_and_changes_nothing(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await bulk_adjust(a_file(("m1", 100, "gift")), uow, clock)
    report = await bulk_adjust(a_file(("m1", 200, "gift")), uow, clock)
    assert report.rejected == [
        Rejection(
            1,
            "m1",
            "this row of this file was applied before with another member, points or reason",
            "adjustment_conflict",
        )
    ]
    assert uow.ledger_sum(TENANT, "m1") == 100


async def test_rows_of_one_member_apply_in_order_across_chunks(
    uow: FakeUnitOfWork, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_adjustments, "CHUNK", 2)
    rows = [("m1", 10, "a"), ("m1", -10, "b"), ("m1", -1, "c"), ("m1", 5, "d"), ("m1", -5, "e")]
    report = await bulk_adjust(a_file(*rows), uow, clock)
    assert (report.accepted, [r.row for r in report.rejected]) == (4, [3])
    assert uow.ledger_sum(TENANT, "m1") == 0
    assert uow.transactions == 3


@pytest.mark.parametrize(
    ("command", "field"),
    [
        (a_file(("m1", 1, "a"), file_id=""), "file_id"),
        (a_file(("m1", 1, "a"), file_id="x" * 101), "file_id"),
        (BulkAdjust(TENANT, "F", [BulkRow(1, "m1", 1, "a"), BulkRow(1, "m2", 1, "b")]), "rows"),
        (BulkAdjust(TENANT, "F", [BulkRow(0, "m1", 1, "a")]), "rows"),
        (
            BulkAdjust(TENANT, "F", [BulkRow(n, "m", 1, "a") for n in range(1, MAX_ROWS + 2)]),
            "rows",
        ),
    ],
)
async def test_a_request_that_is_not_a_files_rows_is_refused_whole(
    uow: FakeUnitOfWork, clock: FakeClock, command: BulkAdjust, field: str
) -> None:
    with pytest.raises(InvalidArgument, match=f"^{field}: "):
        await bulk_adjust(command, uow, clock)
    assert uow.published == []


async def test_a_refused_row_stays_refused_when_the_file_is_sent_again(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    rows = [("m1", -5, "clawback"), ("m1", 30, "gift")]
    first = await bulk_adjust(a_file(*rows), uow, clock)
    again = await bulk_adjust(a_file(*rows), uow, clock)
    assert (first.accepted, again.accepted, again.already_applied) == (1, 0, 1)
    assert again.rejected == first.rejected
    assert [r.code for r in again.rejected] == ["insufficient_points"]
    assert uow.ledger_sum(TENANT, "m1") == 30
    with pytest.raises(FailedPrecondition) as refused:
        await adjust_points(AdjustPoints(TENANT, "F-1#1", "m1", -5, "clawback"), uow, clock)
    assert refused.value.code == "insufficient_points"
