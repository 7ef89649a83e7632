"""An adjustments file: `member_id,points,reason` with a header row, read row by row.

A file that is not such a file at all is a 422 naming `body`; a row that is wrong is
reported with its number (1 is the first row after the header) and the others still
apply. Blank lines are skipped and not numbered.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from gateway.edge.problems import ApiProblem, validation_problem

HEADER = ("member_id", "points", "reason")
MAX_ROWS = 10_000
# What 10,000 rows with long reasons take, and some room.
MAX_BYTES = 4 * 1024 * 1024
MAX_POINTS = 10**9
MAX_REASON = 200
_POINTS = re.compile(r"^[+-]?[0-9]{1,10}$")
_MEMBER_ID = re.compile(r"^[\x21-\x7e]{1,128}$")


@dataclass(frozen=True)
class CsvRow:
    row: int
    member_id: str
    points: int
    reason: str


@dataclass(frozen=True)
class RowProblem:
    row: int
    member_id: str
    reason: str
    code: str = "validation_error"


def refused_file(message: str) -> ApiProblem:
    return validation_problem([{"loc": ("body",), "msg": message}])


def _records(raw: bytes) -> list[list[str]]:
    try:
        text = raw.decode("utf-8-sig")
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except UnicodeDecodeError:
        raise refused_file("the file must be UTF-8 text") from None
    except csv.Error as exc:
        raise refused_file(f"not a CSV file ({exc})") from None
    return [r for r in records if any(cell.strip() for cell in r)]


def file_records(raw: bytes, header: tuple[str, ...], max_rows: int) -> list[list[str]]:
    """The rows after `header` (blank lines skipped), or a 422 naming `body` for a file that
    is not such a file at all."""
    records = _records(raw)
    if not records or tuple(cell.strip().lower() for cell in records[0]) != header:
        raise refused_file(f"the first row must be the header {','.join(header)}")
    if len(records) == 1:
        raise refused_file("the file has no rows after its header")
    if len(records) - 1 > max_rows:
        raise refused_file(f"at most {max_rows} rows a file; split it")
    return records[1:]


def read_rows(raw: bytes) -> tuple[list[CsvRow], list[RowProblem]]:
    records = file_records(raw, HEADER, MAX_ROWS)
    rows: list[CsvRow] = []
    problems: list[RowProblem] = []
    for number, record in enumerate(records, start=1):
        found = _row(number, record)
        if isinstance(found, CsvRow):
            rows.append(found)
        else:
            problems.append(found)
    return rows, problems


def _row(number: int, record: list[str]) -> CsvRow | RowProblem:
    cells = [cell.strip() for cell in record]
    member_id = cells[0] if cells else ""
    if len(cells) != len(HEADER):
        return RowProblem(number, member_id, "a row has 3 columns: member_id,points,reason")
    _, points, reason = cells
    reason = " ".join(reason.split())
    if not _MEMBER_ID.match(member_id):
        return RowProblem(number, member_id, "member_id: 1 to 128 characters without spaces")
    if not _POINTS.match(points) or not 0 < abs(int(points)) <= MAX_POINTS:
        message = f"points: a whole number, not 0, between -{MAX_POINTS} and {MAX_POINTS}"
        return RowProblem(number, member_id, message)
    if not 0 < len(reason) <= MAX_REASON:
        return RowProblem(number, member_id, f"reason: 1 to {MAX_REASON} characters")
    return CsvRow(number, member_id, int(points), reason)
