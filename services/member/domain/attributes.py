"""Custom profile attributes, typed by a small schema each tenant keeps."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum

from libs.errors import InvalidArgument


class AttributeType(StrEnum):
    STRING = "string"
    INT = "int"
    BOOL = "bool"
    DATE = "date"


AttributeValue = str | int | bool | date
AttributeSchema = Mapping[str, AttributeType]

MAX_ATTRIBUTES = 50
MAX_TEXT = 256
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_INT = re.compile(r"^-?\d{1,18}$")
_BOOLS = {"true": True, "false": False}


def parse_schema(raw: Mapping[str, str]) -> dict[str, AttributeType]:
    if len(raw) > MAX_ATTRIBUTES:
        raise InvalidArgument(f"attributes: at most {MAX_ATTRIBUTES} attributes")
    schema: dict[str, AttributeType] = {}
    for name, kind in raw.items():
        if not _NAME.match(name):
            raise InvalidArgument(f"attributes.{name}: lower-case letters, digits and _")
        try:
            schema[name] = AttributeType(kind)
        except ValueError:
            allowed = ", ".join(t.value for t in AttributeType)
            raise InvalidArgument(f"attributes.{name}: type must be one of {allowed}") from None
    return schema


def _text(value: AttributeValue, field: str) -> AttributeValue:
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise InvalidArgument(f"{field}: must be text of at most {MAX_TEXT} characters")
    return value


def _bool(value: AttributeValue, field: str) -> AttributeValue:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in _BOOLS:
        return _BOOLS[value]
    raise InvalidArgument(f"{field}: must be true or false")


def _int(value: AttributeValue, field: str) -> AttributeValue:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**18:
        return value
    if isinstance(value, str) and _INT.match(value):
        return int(value)
    raise InvalidArgument(f"{field}: must be an integer")


def _date(value: AttributeValue, field: str) -> AttributeValue:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidArgument(f"{field}: must be a date, YYYY-MM-DD")


_COERCE = {
    AttributeType.STRING: _text,
    AttributeType.BOOL: _bool,
    AttributeType.INT: _int,
    AttributeType.DATE: _date,
}


def coerce(value: AttributeValue, kind: AttributeType, field: str) -> AttributeValue:
    """The value as its schema type; text forms ("42", "true", "2026-01-31") are accepted."""
    return _COERCE[kind](value, field)


def parse_attributes(
    raw: Mapping[str, AttributeValue], schema: AttributeSchema, field: str = "profile.attributes"
) -> dict[str, AttributeValue]:
    """Only attributes the tenant's schema names, each of its type."""
    parsed: dict[str, AttributeValue] = {}
    for name, value in raw.items():
        kind = schema.get(name)
        if kind is None:
            raise InvalidArgument(f"{field}.{name}: unknown attribute for this tenant")
        parsed[name] = coerce(value, kind, f"{field}.{name}")
    return parsed


def as_text(value: AttributeValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
