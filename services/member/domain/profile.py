"""What a member tells us about themselves, and what they agreed to."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from libs.errors import InvalidArgument
from services.member.domain.attributes import (
    MAX_ATTRIBUTES,
    AttributeSchema,
    AttributeValue,
    parse_attributes,
)
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
    attributes: dict[str, AttributeValue] = field(default_factory=dict)


GENDERS = {"", "female", "male", "other", "undisclosed"}
PROFILE_FIELDS = ("name", "birthday", "email", "gender", "preferred_store_id")
_STORE = re.compile(r"^[A-Za-z0-9._-]{0,64}$")


def _name(raw: str) -> str:
    if len(raw) > 100:
        raise InvalidArgument("profile.name: at most 100 characters")
    return raw.strip()


def _birthday(raw: str, today: date) -> date | None:
    if not raw:
        return None
    try:
        born = date.fromisoformat(raw)
    except ValueError:
        raise InvalidArgument("profile.birthday: must be a date, YYYY-MM-DD") from None
    if born > today or born.year < 1900:
        raise InvalidArgument("profile.birthday: not a plausible birthday")
    return born


def _gender(raw: str) -> str:
    if raw not in GENDERS:
        allowed = ", ".join(sorted(g for g in GENDERS if g))
        raise InvalidArgument(f"profile.gender: must be one of {allowed}")
    return raw


def _store(raw: str) -> str:
    if not _STORE.match(raw):
        raise InvalidArgument("profile.preferred_store_id: letters, digits, . _ -; at most 64")
    return raw


def parse_field(name: str, raw: str, today: date) -> object:
    """One scalar profile field, validated and normalised; empty clears it."""
    if name == "name":
        return _name(raw)
    if name == "birthday":
        return _birthday(raw, today)
    if name == "email":
        return normalise_email(raw, "profile.email") if raw else ""
    if name == "gender":
        return _gender(raw)
    if name == "preferred_store_id":
        return _store(raw)
    raise InvalidArgument(f"profile.{name}: not a profile field")


def parse_profile(
    *,
    name: str,
    birthday: str,
    email: str,
    gender: str,
    preferred_store_id: str,
    attributes: Mapping[str, AttributeValue],
    today: date,
    schema: AttributeSchema | None = None,
) -> Profile:
    return Profile(
        name=_name(name),
        birthday=_birthday(birthday, today),
        email=normalise_email(email, "profile.email") if email else "",
        gender=_gender(gender),
        preferred_store_id=_store(preferred_store_id),
        attributes=parse_attributes(attributes, schema or {}),
    )


@dataclass(frozen=True)
class ProfilePatch:
    """Fields to set (an empty text clears), and attributes to set or (None) remove."""

    fields: Mapping[str, str] = field(default_factory=dict)
    attributes: Mapping[str, AttributeValue | None] = field(default_factory=dict)


def patch_profile(
    profile: Profile, patch: ProfilePatch, *, schema: AttributeSchema, today: date
) -> tuple[Profile, list[str]]:
    """The patched profile and the names of the fields whose value changed."""
    if not patch.fields and not patch.attributes:
        raise InvalidArgument("profile: name at least one field to change")
    values = {key: parse_field(key, raw, today) for key, raw in patch.fields.items()}
    attributes = dict(profile.attributes)
    to_set = {k: v for k, v in patch.attributes.items() if v is not None}
    attributes.update(parse_attributes(to_set, schema))
    for key, value in patch.attributes.items():
        if value is None:
            attributes.pop(key, None)
    if len(attributes) > MAX_ATTRIBUTES:
        raise InvalidArgument(f"profile.attributes: at most {MAX_ATTRIBUTES} attributes")
    patched = dataclasses.replace(profile, **values, attributes=attributes)  # type: ignore[arg-type]
    changed = [f"profile.{key}" for key in values if getattr(profile, key) != values[key]]
    changed += [
        f"profile.attributes.{key}"
        for key in sorted(patch.attributes)
        if profile.attributes.get(key) != attributes.get(key)
    ]
    return patched, changed


def parse_consents(
    granted: Mapping[str, bool], *, channel: str, source: str, at: datetime
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
