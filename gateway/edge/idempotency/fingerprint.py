"""What identifies a request for idempotency: a valid key and a hash of what was asked.

Pure functions: no I/O, so they are tested on their own.
"""

from __future__ import annotations

import hashlib
import json
import re
from urllib.parse import parse_qsl, urlencode

from gateway.edge.json_depth import too_deep

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# Printable ASCII, space included: what an HTTP header value can carry safely.
_PRINTABLE = re.compile(r"[\x20-\x7e]+")


def key_problem(value: str) -> str | None:
    """Why `value` is not an acceptable Idempotency-Key, or None when it is."""
    if not value.strip():
        return "must not be empty"
    if len(value) > MAX_KEY_LENGTH:
        return f"must be at most {MAX_KEY_LENGTH} characters"
    if not _PRINTABLE.fullmatch(value):
        return "must be printable ASCII characters"
    return None


def canonical_body(raw: bytes) -> str:
    """The body as canonical JSON (sorted keys, no spaces), so formatting never matters.

    A body that is not JSON is represented by the hash of its bytes: it still has to be
    byte-for-byte the same to count as the same request.
    """
    if not raw.strip():
        return ""
    if too_deep(raw):
        return "bytes:" + hashlib.sha256(raw).hexdigest()
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return "bytes:" + hashlib.sha256(raw).hexdigest()
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_query(query: str) -> str:
    """The query string's pairs in sorted order: `a=1&b=2` and `b=2&a=1` ask the same."""
    return urlencode(sorted(parse_qsl(query, keep_blank_values=True)))


def request_fingerprint(method: str, path: str, raw_body: bytes, query: str = "") -> str:
    """SHA-256 of the method, the path, the query string and the canonical body.

    The path is part of it, so one key reused on another endpoint (or another redemption's
    capture) is a conflict rather than a replay of an unrelated answer; so is the query,
    which can change what a POST does (`?dry_run=true`).
    """
    material = json.dumps(
        [method.upper(), path, canonical_query(query), canonical_body(raw_body)],
        ensure_ascii=False,
    )
    return hashlib.sha256(material.encode()).hexdigest()


def record_id(principal: str, key: str) -> str:
    """The stored record's id: the key is scoped to who sent it."""
    return hashlib.sha256(f"{principal}\n{key}".encode()).hexdigest()
