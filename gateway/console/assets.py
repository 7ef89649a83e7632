"""The console's files, read once from the package and fingerprinted for long caching.

The page names each asset by a versioned URL (`/console/static/console.js?v=<hash>`), so a
browser may cache the asset for a year and still picks up a new one after an upgrade.
A script names the modules and message tables it loads as `"./<name>"`; those strings are
served as `"./<name>?v=<hash>"` too, each hash covering the file as served (with its own
references versioned), so a change anywhere reaches every module that depends on it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
PAGE_FILE = "index.html"
TILL_PAGE_FILE = "till.html"  # the virtual till (`/till`): its own page, the same assets
CENTRE_PAGE_FILE = "centre.html"  # the member centre (`/m`), likewise
PAGE_FILES = (PAGE_FILE, TILL_PAGE_FILE, CENTRE_PAGE_FILE)
STATIC_URL = "/console/static/"

# The only kinds of file served under STATIC_URL: anything else is a 404, whatever its path.
SUFFIX_TYPES: Mapping[str, str] = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".json": "application/json",
}
REWRITTEN = (".js",)  # files whose `"./<name>"` references get their version

# The member centre loads only its own part of each message table (`messages.centre.<locale>
# .json`, made here from `messages.<locale>.json`): a phone's first page stays small however
# many texts the console gains. A test checks every key its scripts use has one of these.
CENTRE_MESSAGE_PREFIXES = (
    "app.",
    "centre.",
    "error.",
    "feedback.",
    "field_error.",
    "ledger.",
    "points.",
    "problem.",
    "profile.",
    "signin.",
    "tier.",
)
MESSAGE_TABLE = re.compile(r"^messages\.(?P<locale>[A-Za-z-]+)\.json$")

# The page's policy: its own script, styles and API calls, nothing inline, no framing,
# and forms may not navigate (the script submits them), so a key never lands in a URL.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
# The member centre's: the same, but images may also be `data:` URLs (the member code's QR
# code and the brand's logo come from the API as such; an image never runs a script).
CENTRE_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "img-src 'self'", "img-src 'self' data:"
)


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    version: str

    @property
    def url_suffix(self) -> str:
        return f"?v={self.version}"


@dataclass(frozen=True)
class ConsoleFiles:
    template: str  # the page, its asset URLs versioned, its texts still `{{key}}`
    assets: Mapping[str, Asset]
    till_template: str  # the virtual till's page, likewise
    centre_template: str  # the member centre's page, likewise


def fingerprint(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:16]


def asset_names(directory: Path) -> list[str]:
    return sorted(
        path.name
        for path in directory.iterdir()
        if path.is_file() and path.suffix in SUFFIX_TYPES and path.name not in PAGE_FILES
    )


def _served(
    name: str, sources: Mapping[str, bytes], done: dict[str, Asset], seen: tuple[str, ...]
) -> Asset:
    if name in done:
        return done[name]
    if name in seen:
        raise ValueError(f"the console's modules import each other in a cycle: {seen}")
    body = sources[name]
    suffix = Path(name).suffix
    if suffix in REWRITTEN:
        text = body.decode("utf-8")
        for other in sources:
            reference = f'"./{other}"'
            if other != name and reference in text:
                version = _served(other, sources, done, (*seen, name)).url_suffix
                text = text.replace(reference, f'"./{other}{version}"')
        body = text.encode("utf-8")
    asset = Asset(body=body, media_type=SUFFIX_TYPES[suffix], version=fingerprint(body))
    done[name] = asset
    return asset


def _versioned_page(path: Path, assets: Mapping[str, Asset]) -> str:
    page = path.read_text(encoding="utf-8")
    for name, asset in assets.items():
        url = f'"{STATIC_URL}{name}"'
        page = page.replace(url, f'"{STATIC_URL}{name}{asset.url_suffix}"')
    return page


def centre_tables(sources: Mapping[str, bytes]) -> dict[str, bytes]:
    """The member centre's part of each message table, by its served name."""
    tables = {}
    for name, body in sources.items():
        found = MESSAGE_TABLE.match(name)
        if found is None:
            continue
        messages = json.loads(body)
        kept = {k: v for k, v in messages.items() if k.startswith(CENTRE_MESSAGE_PREFIXES)}
        served = json.dumps(kept, ensure_ascii=False, separators=(",", ":"))
        tables[f"messages.centre.{found['locale']}.json"] = served.encode("utf-8")
    return tables


def load_console(directory: Path = STATIC_DIR) -> ConsoleFiles:
    """Read the pages and their assets; each `"/console/static/<name>"` in a page gets `?v=`."""
    sources = {name: (directory / name).read_bytes() for name in asset_names(directory)}
    sources |= centre_tables(sources)
    assets: dict[str, Asset] = {}
    for name in sources:
        _served(name, sources, assets, ())
    return ConsoleFiles(
        template=_versioned_page(directory / PAGE_FILE, assets),
        assets=assets,
        till_template=_versioned_page(directory / TILL_PAGE_FILE, assets),
        centre_template=_versioned_page(directory / CENTRE_PAGE_FILE, assets),
    )
