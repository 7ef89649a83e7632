from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gateway.console.assets import (
    CONTENT_SECURITY_POLICY,
    MEDIA_TYPES,
    PAGE_FILE,
    STATIC_DIR,
    STATIC_URL,
    load_console,
)

pytestmark = pytest.mark.unit

SCRIPT = STATIC_DIR / "console.js"
# Every way a script can turn a string into markup or code.
MARKUP_SINKS = (
    "outerHTML",
    "insertAdjacentHTML",
    "document.write",
    "DOMParser",
    "createContextualFragment",
    "srcdoc",
    "eval(",
    "new Function",
)


class PageParts(HTMLParser):
    """What a page loads and whether anything in it is inline."""

    def __init__(self) -> None:
        super().__init__()
        self.references: list[str] = []
        self.inline_scripts = 0
        self.inline_styles = 0
        self.handler_attributes: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.handler_attributes += [name for name, _ in attrs if name.startswith("on")]
        if "style" in values:
            self.inline_styles += 1
        if tag == "style":
            self.inline_styles += 1
        if tag == "script":
            self._in_script = True
            if values.get("src"):
                self.references.append(str(values["src"]))
        if tag == "link" and values.get("href"):
            self.references.append(str(values["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1


def parse(page: str) -> PageParts:
    parts = PageParts()
    parts.feed(page)
    return parts


def test_the_console_script_never_assigns_inner_html() -> None:
    source = SCRIPT.read_text(encoding="utf-8")

    # Stricter than "never assigns": the name does not occur at all, so neither
    # `el.innerHTML = ...`, `+=` nor `el["innerHTML"]` can slip in.
    assert "innerHTML" not in source


@pytest.mark.parametrize("sink", MARKUP_SINKS)
def test_the_console_script_uses_no_other_way_to_turn_text_into_markup(sink: str) -> None:
    assert sink not in SCRIPT.read_text(encoding="utf-8")


def test_the_console_script_keeps_no_credential_where_a_script_could_read_it() -> None:
    source = SCRIPT.read_text(encoding="utf-8")

    assert "sessionStorage" not in source
    assert "localStorage" not in source
    assert "document.cookie" not in source
    assert "Authorization" not in source  # the session cookie is the only credential


def test_the_console_signs_in_with_a_password_for_a_cookie_session_and_signs_out() -> None:
    source = SCRIPT.read_text(encoding="utf-8")
    page = (STATIC_DIR / PAGE_FILE).read_text(encoding="utf-8")

    assert '"/v1/auth/sessions"' in source
    assert "cookie: true" in source
    assert '"/v1/auth/sessions/current", { method: "DELETE" }' in source
    assert 'type="password"' in page
    assert "api-key" not in page


def test_the_page_has_no_inline_script_style_or_event_handler() -> None:
    parts = parse((STATIC_DIR / PAGE_FILE).read_text(encoding="utf-8"))

    assert parts.inline_scripts == 0
    assert parts.inline_styles == 0
    assert parts.handler_attributes == []


def test_the_page_loads_only_served_assets_each_by_its_versioned_url() -> None:
    files = load_console()

    parts = parse(files.page.decode("utf-8"))

    expected = {f"{STATIC_URL}{name}{asset.url_suffix}" for name, asset in files.assets.items()}
    assert set(parts.references) == expected


def test_an_asset_version_changes_with_its_content(tmp_path: Path) -> None:
    for name in (PAGE_FILE, *MEDIA_TYPES):
        shutil.copy(STATIC_DIR / name, tmp_path / name)
    before = load_console(tmp_path)
    (tmp_path / "console.js").write_text("export {};\n", encoding="utf-8")

    after = load_console(tmp_path)

    assert after.assets["console.js"].version != before.assets["console.js"].version
    assert after.assets["console.css"].version == before.assets["console.css"].version
    assert after.assets["console.js"].url_suffix.encode() in after.page


def test_the_console_files_are_found_from_any_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    files = load_console()

    assert STATIC_DIR.is_absolute()
    assert files.page.startswith(b"<!doctype html>")
    assert set(files.assets) == set(MEDIA_TYPES)


def test_the_content_security_policy_allows_nothing_inline_or_foreign() -> None:
    directives = {
        name: values
        for name, *values in (part.split() for part in CONTENT_SECURITY_POLICY.split(";"))
    }

    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["form-action"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert "unsafe" not in CONTENT_SECURITY_POLICY


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to parse JavaScript")
def test_the_console_script_parses_as_an_es_module(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node is not None
    module = tmp_path / "console.mjs"
    shutil.copy(SCRIPT, module)

    checked = subprocess.run(
        [node, "--check", str(module)], capture_output=True, text=True, check=False, timeout=30
    )

    assert checked.returncode == 0, checked.stderr
