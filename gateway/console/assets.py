"""The console's files, read once from the package and fingerprinted for long caching.

The page names each asset by a versioned URL (`/console/static/console.js?v=<hash>`), so a
browser may cache the asset for a year and still picks up a new one after an upgrade.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
PAGE_FILE = "index.html"
STATIC_URL = "/console/static/"

# The only files served under STATIC_URL: anything else is a 404, whatever its path.
MEDIA_TYPES: Mapping[str, str] = {
    "console.js": "text/javascript",
    "console.css": "text/css",
    "favicon.svg": "image/svg+xml",
}

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
    page: bytes
    assets: Mapping[str, Asset]


def fingerprint(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:16]


def load_console(directory: Path = STATIC_DIR) -> ConsoleFiles:
    """Read the page and its assets; each `"/console/static/<name>"` in the page gets `?v=`."""
    assets: dict[str, Asset] = {}
    for name, media_type in MEDIA_TYPES.items():
        body = (directory / name).read_bytes()
        assets[name] = Asset(body=body, media_type=media_type, version=fingerprint(body))
    page = (directory / PAGE_FILE).read_text(encoding="utf-8")
    for name, asset in assets.items():
        url = f'"{STATIC_URL}{name}"'
        page = page.replace(url, f'"{STATIC_URL}{name}{asset.url_suffix}"')
    return ConsoleFiles(page=page.encode("utf-8"), assets=assets)
