"""A request's fingerprint: whether a retry under the same id is the same request."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping


def fingerprint(body: Mapping[str, object]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
