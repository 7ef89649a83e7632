"""Translations to and from their wire form (`map<string, loyalty.common.v1.Texts>`)."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

from libs.languages import Translations
from loyalty.common.v1 import common_pb2


def translations_from_pb(wire: Mapping[str, common_pb2.Texts]) -> Translations:
    return Translations.of({locale: dict(texts.fields) for locale, texts in wire.items()})


def fill_translations(wire: MutableMapping[str, common_pb2.Texts], t: Translations) -> None:
    """Write `t` into a message's (empty) translations map."""
    for locale, fields in t.by_locale().items():
        wire[locale].fields.update(fields)
