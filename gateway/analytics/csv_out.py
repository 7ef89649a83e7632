"""A report as CSV: one row per figure (long form), so every report has the same columns
and a spreadsheet pivots it as it likes: section, the row's day and dimensions, the
figure's name and its value.

SKUs and categories are whatever a till sent: a cell a spreadsheet would read as a
formula (=, +, -, @, a tab or a carriage return first) is written with a leading `'`,
unless it is a number."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

CSV_TYPE = "text/csv"
KEYS = (
    *("day", "store_id", "channel", "tier", "category", "sku", "days", "cohort", "month"),
    *("recency", "frequency", "monetary"),
    *("member_id", "key", "campaign_id"),
)
HEADER = ("section", *KEYS, "measure", "value")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(text):
        return "'" + text
    return text


def wants_csv(request: Request, format_: str | None) -> bool:
    if format_ is not None:
        return format_ == "csv"
    return CSV_TYPE in request.headers.get("accept", "")


def _rows(
    section: str, value: Any, outer: dict[str, Any] | None = None
) -> Iterator[tuple[str, ...]]:
    """A row per figure; a nested row (a cohort's months) keeps its parent's keys."""
    if isinstance(value, list):
        for item in value:
            yield from _rows(section, item, outer)
        return
    known = {**(outer or {}), **{k: value[k] for k in KEYS if value.get(k) is not None}}
    keys = tuple(cell(known.get(k)) for k in KEYS)
    for name, figure in value.items():
        if name in KEYS:
            continue
        if isinstance(figure, list) and figure and not isinstance(figure[0], dict):
            yield (section, *keys, name, cell(" ".join(str(v) for v in figure)))
        elif isinstance(figure, dict | list):
            yield from _rows(f"{section}.{name}", figure, known)
        else:
            yield (section, *keys, name, cell(figure))


def csv_response(answer: BaseModel, filename: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    dumped = answer.model_dump(by_alias=True)
    summary = {k: v for k, v in dumped.items() if not isinstance(v, dict | list)}
    if summary:
        writer.writerows(_rows("summary", summary))
    for section, value in dumped.items():
        if section not in summary:
            writer.writerows(_rows(section, value))
    disposition = f'attachment; filename="{filename}.csv"'
    return Response(
        out.getvalue(),
        media_type=f"{CSV_TYPE}; charset=utf-8",
        headers={"Content-Disposition": disposition},
    )
