"""The console's one message table per language, shared by the server and the browser.

`static/messages.<locale>.json` maps a key to its text. The server fills the page's
`{{key}}` placeholders from the table of the language it negotiated (so the first paint
is already in the reader's language); the browser's `i18n.js` loads the same tables for
everything it draws and to switch languages without a reload.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from pathlib import Path

from gateway.console.assets import STATIC_DIR
from libs import languages
from libs.languages import PLATFORM_LANGUAGES, match_tag

LOCALES = PLATFORM_LANGUAGES
DEFAULT_LOCALE = "en"
PLACEHOLDER = re.compile(r"\{\{([a-z0-9_.]+)\}\}")


def message_file(locale: str, directory: Path = STATIC_DIR) -> Path:
    return directory / f"messages.{locale}.json"


def load_messages(directory: Path = STATIC_DIR) -> dict[str, dict[str, str]]:
    tables: dict[str, dict[str, str]] = {}
    for locale in LOCALES:
        table = json.loads(message_file(locale, directory).read_text(encoding="utf-8"))
        tables[locale] = {str(key): str(text) for key, text in table.items()}
    return tables


def negotiate(requested: str | None, accept_language: str | None) -> str:
    """`?lang=` if it names a language the console has, else the browser's first one that
    it has (by `Accept-Language` weight), else English."""
    if requested and requested.strip() and (chosen := match_tag(requested.strip(), LOCALES)):
        return chosen
    return languages.negotiate(accept_language, LOCALES, DEFAULT_LOCALE)


def render_page(template: str, locale: str, messages: Mapping[str, str]) -> bytes:
    """The page in one language: `{{lang}}` and every `{{key}}` replaced, HTML-escaped."""

    def text(match: re.Match[str]) -> str:
        key = match.group(1)
        if key == "lang":
            return locale
        return html.escape(messages[key], quote=True)

    return PLACEHOLDER.sub(text, template).encode("utf-8")
