"""Adjustments from a file: each row is checked on its own and applies once per file id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from libs.errors import InvalidArgument
from services.points.domain.adjustments import Adjustment, parse_adjustment
from services.points.domain.parsing import parse_id

MAX_ROWS = 10_000
MAX_FILE_ID = 100


@dataclass(frozen=True)
class BulkRow:
    row: int
    member_id: str
    points: int
    reason: str


@dataclass(frozen=True)
class Rejection:
    row: int
    member_id: str
    reason: str
    code: str


@dataclass
class BulkReport:
    accepted: int = 0
    already_applied: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    def merge(self, other: BulkReport) -> None:
        self.accepted += other.accepted
        self.already_applied += other.already_applied
        self.rejected.extend(other.rejected)


@dataclass(frozen=True)
class RowAdjustment:
    row: int
    adjustment: Adjustment


def parse_file_id(raw: str) -> str:
    file_id = parse_id(raw, "file_id")
    if len(file_id) > MAX_FILE_ID:
        raise InvalidArgument(f"file_id: at most {MAX_FILE_ID} characters")
    return file_id


def row_adjustment_id(file_id: str, row: int) -> str:
    """A row's idempotency key: its file and its number."""
    return f"{file_id}#{row}"


def parse_rows(
    file_id: str, rows: Sequence[BulkRow]
) -> tuple[list[RowAdjustment], list[Rejection]]:
    """The rows that may apply, and those refused with what is wrong with them. The
    request as a whole is refused only when it is not a file's rows at all."""
    if len(rows) > MAX_ROWS:
        raise InvalidArgument(f"rows: at most {MAX_ROWS}")
    numbers = [row.row for row in rows]
    if len(set(numbers)) != len(numbers) or any(n < 1 for n in numbers):
        raise InvalidArgument("rows: each row needs its own number, from 1")
    valid: list[RowAdjustment] = []
    rejected: list[Rejection] = []
    for row in rows:
        try:
            adjustment = parse_adjustment(
                row_adjustment_id(file_id, row.row), row.member_id, row.points, row.reason
            )
        except InvalidArgument as exc:
            rejected.append(Rejection(row.row, row.member_id, exc.message, exc.code))
        else:
            valid.append(RowAdjustment(row.row, adjustment))
    return valid, rejected
