"""What a member tells us about themselves, and what they agreed to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from libs.errors import InvalidArgument
from services.member.domain.identities import normalise_email


class ConsentPurpose(StrEnum):
    MARKETING = "marketing"
    PROFILING = "profiling"


@dataclass(frozen=True)
class Consent:
    purpose: ConsentPurpose
    granted: bool
    channel: str
    source: str
    updated_at: datetime


@dataclass(frozen=True)
class Profile:
    name: str = ""
    birthday: date | None = None
    email: str = ""
    gender: str = ""
    preferred_store_id: str = ""
    attributes: dict[str, str] = field(default_factory=dict)


GENDERS = {"", "female", "male", "other", "undisclosed"}
MAX_ATTRIBUTES = 50


def parse_profile(
    *,
    name: str,
    birthday: str,
    email: str,
    gender: str,
    preferred_store_id: str,
    attributes: dict[str, str],
    today: date,
) -> Profile:
    if len(name) > 100:
        raise InvalidArgument("profile.name: at most 100 characters")
    born: date | None = None
    if birthday:
        try:
            born = date.fromisoformat(birthday)
        except ValueError:
            raise InvalidArgument("profile.birthday: must be a date, YYYY-MM-DD") from None
        if born > today or born.year < 1900:
            raise InvalidArgument("profile.birthday: not a plausible birthday")
    if gender not in GENDERS:
        allowed = ", ".join(sorted(g for g in GENDERS if g))
        raise InvalidArgument(f"profile.gender: must be one of {allowed}")
    if len(attributes) > MAX_ATTRIBUTES:
        raise InvalidArgument(f"profile.attributes: at most {MAX_ATTRIBUTES} attributes")
    for key, value in attributes.items():
        if not key or len(key) > 64 or len(value) > 256:
            raise InvalidArgument(f"profile.attributes.{key}: key or value too long")
    return Profile(
        name=name.strip(),
        birthday=born,
        email=normalise_email(email, "profile.email") if email else "",
        gender=gender,
        preferred_store_id=preferred_store_id,
        attributes=dict(attributes),
    )


def parse_consents(
    granted: dict[str, bool], *, channel: str, source: str, at: datetime
) -> dict[ConsentPurpose, Consent]:
    consents: dict[ConsentPurpose, Consent] = {}
    for purpose, value in granted.items():
        try:
            kind = ConsentPurpose(purpose)
        except ValueError:
            allowed = ", ".join(p.value for p in ConsentPurpose)
            raise InvalidArgument(f"consents.{purpose}: must be one of {allowed}") from None
        consents[kind] = Consent(kind, value, channel, source, at)
    return consents
