"""The field types every resource's schemas share: money, instants, ids, integers,
identities and timestamps, strictly read.

Money is a decimal string on the wire and a `Decimal` inside; a JSON number is refused
rather than read through a float. Instants must carry their offset.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    StrictInt,
    WithJsonSchema,
)
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

IdentityType = Literal[
    "phone", "email", "card", "wechat_openid", "wechat_unionid", "ecommerce_account", "app_user"
]
# What a member is looked up by: an identity, or the code the member's app shows.
LookupType = Literal[IdentityType, "code"]
ConsentPurpose = Literal["marketing", "profiling"]
Timestamp = Annotated[datetime, PlainSerializer(lambda value: value.isoformat(), return_type=str)]
StoreId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
