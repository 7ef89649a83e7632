"""Languages: which one a reader gets (`Accept-Language` against what the tenant offers)
and operator-entered texts in several of them.

A text an operator types (a campaign's name, a tier's name) is kept as typed in the
tenant's default language, with its translations beside it: locale -> field -> text. A
reader gets the translation in the negotiated language when there is one, else the text
as typed. Plain Python with no I/O, shared by the services (which store translations) and
the gateway (which negotiates and renders)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# The platform's own languages: its pages and rendered ledger reasons exist in these.
PLATFORM_LANGUAGES = ("en", "zh-CN")
MAX_TRANSLATION = 2000
MAX_LOCALES = 20
# A BCP 47 language tag as tenants use them: "zh-CN", "en", "pt-BR", "zh-Hant-TW".
_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")


def is_language_tag(tag: str) -> bool:
    return bool(_TAG.match(tag))


def canonical_tag(tag: str) -> str:
    """`zh-cn` -> `zh-CN`, `EN` -> `en`, `zh-hant-tw` -> `zh-Hant-TW`; a malformed tag as
    given (to be named in its refusal)."""
    if not is_language_tag(tag):
        return tag
    first, *rest = tag.split("-")
    parts = [first.lower()]
    for part in rest:
        if len(part) == 2:
            parts.append(part.upper())
        elif len(part) == 4:
            parts.append(part.title())
        else:
            parts.append(part.lower())
    return "-".join(parts)


def accepted(header: str | None) -> list[str]:
    """The tags of an `Accept-Language` header, most wanted first (by q-value, then by
    position); tags with q=0 and malformed weights are left out."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        tag, _, params = part.partition(";")
        tag, weight = tag.strip(), 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if tag and 0 < weight <= 1:
            weighted.append((-weight, index, tag))
    return [tag for _, _, tag in sorted(weighted)]


def match_tag(tag: str, available: Sequence[str]) -> str | None:
    """The available language a tag names: itself, else one of the same primary language."""
    if tag == "*":
        return available[0] if available else None
    wanted = tag.lower()
    for locale in available:
        if locale.lower() == wanted:
            return locale
    primary = wanted.split("-")[0]
    for locale in available:
        if locale.lower().split("-")[0] == primary:
            return locale
    return None


def negotiate(header: str | None, available: Sequence[str], default: str) -> str:
    """The first language the reader accepts that is available (an exact tag first, then
    the same primary language: "zh" and "zh-TW" read "zh-CN"); else `default`."""
    for tag in accepted(header):
        if (chosen := match_tag(tag, available)) is not None:
            return chosen
    return default


@dataclass(frozen=True)
class Translations:
    """Texts in other languages than the one typed: (locale, field, text), sorted, so two
    equal sets of translations compare equal."""

    texts: tuple[tuple[str, str, str], ...] = ()

    @classmethod
    def of(cls, by_locale: Mapping[str, Mapping[str, str]]) -> Translations:
        return cls(
            tuple(
                sorted(
                    (canonical_tag(locale), field, text)
                    for locale, fields in by_locale.items()
                    for field, text in fields.items()
                    if text
                )
            )
        )

    def by_locale(self) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = {}
        for locale, field, text in self.texts:
            found.setdefault(locale, {})[field] = text
        return found

    def text(self, field: str, locale: str, typed: str) -> str:
        """The field in `locale` when translated (exactly, or a translation of the same
        primary language), else the text as typed."""
        own = [loc for loc, name, _ in self.texts if name == field]
        chosen = match_tag(locale, own) if own else None
        if chosen is None:
            return typed
        return next(text for loc, name, text in self.texts if loc == chosen and name == field)

    def problems(self, fields: Iterable[str]) -> list[str]:
        """What is wrong with these translations, each naming its field
        (`translations.<locale>.<field>`); empty when nothing is."""
        allowed = set(fields)
        found: list[str] = []
        locales = {locale for locale, _, _ in self.texts}
        if len(locales) > MAX_LOCALES:
            found.append(f"translations: at most {MAX_LOCALES} languages")
        for locale, field, text in self.texts:
            where = f"translations.{locale}.{field}"
            if not is_language_tag(locale):
                found.append(f"translations.{locale}: a language tag such as zh-CN")
            elif field not in allowed:
                found.append(f"{where}: not a translatable field ({', '.join(sorted(allowed))})")
            elif len(text) > MAX_TRANSLATION or not text.strip():
                found.append(f"{where}: from 1 to {MAX_TRANSLATION} characters")
        return found
