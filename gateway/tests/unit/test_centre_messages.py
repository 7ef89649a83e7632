"""The member centre loads only its part of the message tables: every text its page and
scripts (and the modules they import) ask for must be in that part."""

from __future__ import annotations

import json
import re
from pathlib import Path

from gateway.console.assets import CENTRE_MESSAGE_PREFIXES, STATIC_DIR, load_console

IMPORT = re.compile(r'from "\./([\w.-]+\.js)"')
LITERAL_KEY = re.compile(r'\b(?:t|tOr)\(\s*"([a-z_]+\.[\w.]+)"')
TEMPLATE_KEY = re.compile(r"\b(?:t|tOr)\(\s*`([a-z_]+)\.")
PAGE_KEY = re.compile(r'data-i18n[a-z-]*="([a-z_]+\.[\w.]+)"')


def centre_modules() -> set[str]:
    """centre.js and every module it imports, however deep."""
    found, frontier = set(), ["centre.js"]
    while frontier:
        name = frontier.pop()
        if name in found:
            continue
        found.add(name)
        frontier += IMPORT.findall((STATIC_DIR / name).read_text(encoding="utf-8"))
    return found


def asked_keys() -> set[str]:
    keys = set(PAGE_KEY.findall((STATIC_DIR / "centre.html").read_text(encoding="utf-8")))
    for name in centre_modules():
        lines = (STATIC_DIR / name).read_text(encoding="utf-8").splitlines()
        text = "\n".join(line for line in lines if not line.lstrip().startswith("//"))
        keys |= set(LITERAL_KEY.findall(text))
        keys |= {f"{prefix}." for prefix in TEMPLATE_KEY.findall(text)}
    return keys


def test_the_centres_modules_are_found_through_its_imports() -> None:
    assert {"centre.js", "i18n.js", "api.js", "centre-activity.js"} <= centre_modules()


def test_every_text_the_centre_asks_for_is_in_its_part_of_the_tables() -> None:
    keys = asked_keys()
    assert len(keys) > 50
    assert sorted(k for k in keys if not k.startswith(CENTRE_MESSAGE_PREFIXES)) == []


def test_the_centres_tables_hold_every_key_of_its_prefixes_and_nothing_else() -> None:
    files = load_console()
    for locale in ("en", "zh-CN"):
        full = json.loads(Path(STATIC_DIR / f"messages.{locale}.json").read_text("utf-8"))
        part = json.loads(files.assets[f"messages.centre.{locale}.json"].body)
        assert part == {k: v for k, v in full.items() if k.startswith(CENTRE_MESSAGE_PREFIXES)}
        assert len(part) < len(full) / 3
