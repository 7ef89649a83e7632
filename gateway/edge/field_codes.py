"""The machine code of each field error of a 422 (problem+json `errors[].code`), one small
vocabulary whatever library found the error, so a client can say it in its own words;
and the limit the field broke, where there is one. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

# Every code a field error may carry; docs/api.md lists them with their meaning.
REQUIRED = "required"
UNKNOWN_FIELD = "unknown_field"
WRONG_TYPE = "wrong_type"
TOO_SMALL = "too_small"  # below its minimum: it may be the limit itself
MUST_EXCEED = "must_exceed"  # it must be more than the limit
TOO_LARGE = "too_large"  # above its maximum
MUST_BE_BELOW = "must_be_below"  # it must be less than the limit
TOO_SHORT = "too_short"
TOO_LONG = "too_long"
BAD_FORMAT = "bad_format"
NOT_ALLOWED = "not_allowed"
TOO_PRECISE = "too_precise"
OFFSET_REQUIRED = "offset_required"
ENDS_BEFORE_START = "ends_before_start"
EXACTLY_ONE = "exactly_one"
AT_MOST_ONE = "at_most_one"
NOT_ZERO = "not_zero"
INVALID = "invalid"

_BY_TYPE: Mapping[str, str] = {
    "missing": REQUIRED,
    "extra_forbidden": UNKNOWN_FIELD,
    "greater_than": MUST_EXCEED,
    "greater_than_equal": TOO_SMALL,
    "less_than": MUST_BE_BELOW,
    "less_than_equal": TOO_LARGE,
    "string_too_short": TOO_SHORT,
    "too_short": TOO_SHORT,
    "string_too_long": TOO_LONG,
    "too_long": TOO_LONG,
    "string_pattern_mismatch": BAD_FORMAT,
    "instant_format": BAD_FORMAT,
    "url_parsing": BAD_FORMAT,
    "literal_error": NOT_ALLOWED,
    "enum": NOT_ALLOWED,
    "union_tag_invalid": NOT_ALLOWED,
    "union_tag_not_found": REQUIRED,
    "decimal_max_digits": TOO_PRECISE,
    "decimal_max_places": TOO_PRECISE,
    "decimal_whole_digits": TOO_PRECISE,
    "instant_offset": OFFSET_REQUIRED,
    "ends_before_start": ENDS_BEFORE_START,
    "exactly_one": EXACTLY_ONE,
    "at_most_one": AT_MOST_ONE,
    "not_zero": NOT_ZERO,
}
# The bound an error's context names, by the code it belongs to.
_LIMITS = ("gt", "ge", "lt", "le", "min_length", "max_length", "max_digits", "decimal_places")


def field_code(error_type: str) -> str:
    """The code of a validation error of this type (pydantic's, or our own)."""
    if error_type in _BY_TYPE:
        return _BY_TYPE[error_type]
    if error_type.endswith(("_parsing", "_type")):
        return WRONG_TYPE
    return INVALID


def field_limit(context: Mapping[str, Any] | None) -> int | str | None:
    """The limit the value broke (a minimum, a maximum, a length), as JSON can carry it."""
    for name in _LIMITS:
        value = (context or {}).get(name)
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int):
            return value
        if isinstance(value, (float, Decimal)):
            return str(value)
    return None
