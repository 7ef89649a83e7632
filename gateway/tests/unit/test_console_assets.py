from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gateway.console.assets import (
    CONTENT_SECURITY_POLICY,
    PAGE_FILE,
    PAGE_FILES,
    STATIC_DIR,
    STATIC_URL,
    TILL_PAGE_FILE,
    asset_names,
    load_console,
)

pytestmark = pytest.mark.unit

SCRIPTS = sorted(STATIC_DIR.glob("*.js"))
SCRIPT_NAMES = [path.name for path in SCRIPTS]
# The one module that holds a credential: the virtual till's POS key, in the tab's memory.
TILL_KEY_HOLDER = "till-session.js"
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


def source_of(name: str) -> str:
    return (STATIC_DIR / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", SCRIPT_NAMES)
def test_no_console_script_assigns_inner_html(name: str) -> None:
    source = source_of(name)

    # Stricter than "never assigns": the name does not occur at all, so neither
    # `el.innerHTML = ...`, `+=` nor `el["innerHTML"]` can slip in.
    assert "innerHTML" not in source


@pytest.mark.parametrize("name", SCRIPT_NAMES)
@pytest.mark.parametrize("sink", MARKUP_SINKS)
def test_no_console_script_uses_another_way_to_turn_text_into_markup(name: str, sink: str) -> None:
    assert sink not in source_of(name)


@pytest.mark.parametrize("name", [name for name in SCRIPT_NAMES if name != TILL_KEY_HOLDER])
def test_no_console_script_keeps_a_credential_where_a_script_could_read_it(name: str) -> None:
    source = source_of(name)

    assert "sessionStorage" not in source
    assert "localStorage" not in source
    assert "document.cookie" not in source
    assert "Authorization" not in source  # the session cookie is the only credential


def test_the_console_signs_in_with_a_password_for_a_cookie_session_and_signs_out() -> None:
    source = source_of("shell.js")
    page = (STATIC_DIR / PAGE_FILE).read_text(encoding="utf-8")

    assert '"/v1/auth/sessions"' in source
    assert "cookie: true" in source
    assert '"/v1/auth/sessions/current", { method: "DELETE" }' in source
    assert 'type="password"' in page
    assert "api-key" not in page


def test_the_till_keeps_its_pos_key_in_the_tabs_memory_only_and_sends_it_as_a_bearer() -> None:
    source = source_of(TILL_KEY_HOLDER)
    page = (STATIC_DIR / TILL_PAGE_FILE).read_text(encoding="utf-8")

    assert "sessionStorage.setItem(KEY_SLOT" in source
    assert "localStorage" not in source
    assert "document.cookie" not in source
    assert "location" not in source
    assert "URLSearchParams" not in source
    assert "sendWith({ Authorization: `Bearer ${secret}` })" in source
    assert '<input id="pos-key" name="pos-key" type="password"' in page
    assert "cookie: true" in source  # a store operator signs in as on the console


@pytest.mark.parametrize("page_file", PAGE_FILES)
def test_the_page_has_no_inline_script_style_or_event_handler(page_file: str) -> None:
    parts = parse((STATIC_DIR / page_file).read_text(encoding="utf-8"))

    assert parts.inline_scripts == 0
    assert parts.inline_styles == 0
    assert parts.handler_attributes == []


def test_the_page_loads_only_served_assets_each_by_its_versioned_url() -> None:
    files = load_console()

    parts = parse(files.template)

    page_assets = ("console.js", "console.css", "favicon.svg")
    expected = {f"{STATIC_URL}{name}{files.assets[name].url_suffix}" for name in page_assets}
    assert set(parts.references) == expected


def test_the_till_page_loads_the_consoles_styles_and_its_own_script_by_versioned_urls() -> None:
    files = load_console()

    parts = parse(files.till_template)

    page_assets = ("till.js", "console.css", "till.css", "favicon.svg")
    expected = {f"{STATIC_URL}{name}{files.assets[name].url_suffix}" for name in page_assets}
    assert set(parts.references) == expected


def test_the_till_reuses_the_consoles_modules_rather_than_copies() -> None:
    till_sources = " ".join(source_of(name) for name in SCRIPT_NAMES if name.startswith("till"))

    for module in ("api.js", "dom.js", "i18n.js"):
        assert f'from "./{module}"' in till_sources
    assert "function el(" not in till_sources
    assert "fetch(" not in till_sources  # every call goes through api.js, so the panel shows it


def test_every_module_a_script_loads_is_named_by_its_versioned_url() -> None:
    files = load_console()

    for name in SCRIPT_NAMES:
        served = files.assets[name].body.decode("utf-8")
        for other in asset_names(STATIC_DIR):
            source_mentions = f'"./{other}"' in source_of(name)
            assert (f'"./{other}{files.assets[other].url_suffix}"' in served) == source_mentions
            assert f'"./{other}"' not in served


def test_an_asset_version_changes_with_its_content_and_reaches_its_importers(
    tmp_path: Path,
) -> None:
    for name in (*PAGE_FILES, *asset_names(STATIC_DIR)):
        shutil.copy(STATIC_DIR / name, tmp_path / name)
    before = load_console(tmp_path)
    (tmp_path / "dom.js").write_text("export const byId = () => null;\n", encoding="utf-8")

    after = load_console(tmp_path)

    assert after.assets["dom.js"].version != before.assets["dom.js"].version
    assert after.assets["shell.js"].version != before.assets["shell.js"].version  # imports it
    assert after.assets["console.js"].version != before.assets["console.js"].version
    assert after.assets["console.css"].version == before.assets["console.css"].version
    assert after.assets["console.js"].url_suffix in after.template


def test_the_console_files_are_found_from_any_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    files = load_console()

    assert STATIC_DIR.is_absolute()
    assert files.template.startswith("<!doctype html>")
    centre_parts = {"messages.centre.en.json", "messages.centre.zh-CN.json"}
    assert set(files.assets) == set(asset_names(STATIC_DIR)) | centre_parts


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
