"""How deeply a JSON text nests, counted without parsing it. Pure.

Python's parser recurses once per level: a body of a few thousand `[` costs seconds of
CPU and ends in RecursionError (a 500). Bodies are checked here first, in linear time.
"""

from __future__ import annotations

import re

# The API's deepest body is a handful of levels; anything past this is not ours.
MAX_DEPTH = 32
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")


def nesting_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in `raw` (strings do not count)."""
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b"", raw))
    depth = deepest = 0
    for byte in brackets:
        depth += 1 if byte in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def too_deep(raw: bytes) -> bool:
    return nesting_depth(raw) > MAX_DEPTH
