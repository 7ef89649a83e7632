"""The field types of the points bodies: money, instants, ids and integers, strictly read.

Money is a decimal string on the wire and a `Decimal` inside; a JSON number is refused
rather than read through a float. Instants must carry their offset.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field, PlainValidator, StrictInt, WithJsonSchema
from pydantic_core import PydanticCustomError

MONEY_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"
ORDER_ID_PATTERN = r"^[A-Za-z0-9._:-]+$"
MAX_POINTS = 10**12
MAX_QUANTITY = 1_000_000
_MONEY = re.compile(MONEY_PATTERN)
_INSTANT_EXAMPLE = "2026-11-25T10:15:00+08:00"


def parse_money(value: object) -> Decimal:
    """`"199.00"` -> `Decimal("199.00")`: at least 0, at most 2 decimal places."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError(
            "money_type", 'must be a decimal string such as "199.00", not a JSON number'
        )
    if not isinstance(value, str) or _MONEY.fullmatch(value) is None:
        raise PydanticCustomError(
            "money_format",
            'must be a decimal string, at least 0, with at most 2 decimals, such as "199.00"',
        )
    return Decimal(value)


def parse_instant(value: object) -> datetime:
    """An ISO 8601 timestamp string that names its offset (`+08:00` or `Z`)."""
    message = f"must be an ISO 8601 timestamp with an offset, such as {_INSTANT_EXAMPLE}"
    if not isinstance(value, str):
        raise PydanticCustomError("instant_type", message)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("instant_format", message) from None
    if parsed.utcoffset() is None:
        raise PydanticCustomError("instant_offset", message)
    return parsed


Money = Annotated[
    Decimal,
    PlainValidator(parse_money),
    WithJsonSchema({"type": "string", "pattern": MONEY_PATTERN, "examples": ["199.00"]}),
]
Instant = Annotated[
    datetime,
    PlainValidator(parse_instant),
    WithJsonSchema({"type": "string", "format": "date-time", "examples": [_INSTANT_EXAMPLE]}),
]
OrderId = Annotated[str, Field(min_length=1, max_length=128, pattern=ORDER_ID_PATTERN)]
MemberId = Annotated[str, Field(min_length=1, max_length=128)]
Sku = Annotated[str, Field(min_length=1, max_length=64)]
Category = Annotated[str, Field(min_length=1, max_length=64)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217, e.g. CNY")]
Quantity = Annotated[StrictInt, Field(ge=1, le=MAX_QUANTITY)]
Points = Annotated[StrictInt, Field(ge=1, le=MAX_POINTS)]
HoldSeconds = Annotated[StrictInt, Field(ge=30, le=86_400)]
