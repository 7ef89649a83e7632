"""Channel identities and how their values are normalised before matching."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers

from libs.errors import InvalidArgument


class IdentityType(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    CARD = "card"
    WECHAT_OPENID = "wechat_openid"
    WECHAT_UNIONID = "wechat_unionid"
    ECOMMERCE_ACCOUNT = "ecommerce_account"
    APP_USER = "app_user"


@dataclass(frozen=True)
class Identity:
    """A normalised identity: two equal identities name the same person."""

    type: IdentityType
    value: str


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CARD = re.compile(r"^[A-Za-z0-9-]{4,64}$")
_OPAQUE = re.compile(r"^[\x21-\x7e]{1,128}$")  # printable ASCII, no spaces


def normalise_phone(raw: str, default_region: str | None, field: str) -> str:
    """E.164, reading a number without a country code in the tenant's region."""
    try:
        number = phonenumbers.parse(raw, default_region or None)
    except phonenumbers.NumberParseException:
        raise InvalidArgument(f"{field}: not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidArgument(f"{field}: not a valid phone number")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def normalise_email(raw: str, field: str) -> str:
    email = raw.strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise InvalidArgument(f"{field}: not an email address")
    return email


def parse_identity(
    type_: str, value: str, *, default_region: str | None, field: str = "identity"
) -> Identity:
    try:
        kind = IdentityType(type_)
    except ValueError:
        allowed = ", ".join(t.value for t in IdentityType)
        raise InvalidArgument(f"{field}.type: must be one of {allowed}") from None
    raw = value.strip()
    if not raw:
        raise InvalidArgument(f"{field}.value: must not be empty")
    if kind is IdentityType.PHONE:
        return Identity(kind, normalise_phone(raw, default_region, f"{field}.value"))
    if kind is IdentityType.EMAIL:
        return Identity(kind, normalise_email(raw, f"{field}.value"))
    pattern = _CARD if kind is IdentityType.CARD else _OPAQUE
    if not pattern.match(raw):
        raise InvalidArgument(f"{field}.value: not a valid {kind.value}")
    return Identity(kind, raw)


def parse_identities(
    pairs: list[tuple[str, str]], *, default_region: str | None, limit: int = 10
) -> list[Identity]:
    """Normalise and de-duplicate; at least one identity is needed to find a person."""
    if not pairs:
        raise InvalidArgument("identities: at least one identity is required")
    if len(pairs) > limit:
        raise InvalidArgument(f"identities: at most {limit} identities")
    seen: dict[Identity, None] = {}
    for index, (type_, value) in enumerate(pairs):
        identity = parse_identity(
            type_, value, default_region=default_region, field=f"identities[{index}]"
        )
        seen.setdefault(identity, None)
    return list(seen)
