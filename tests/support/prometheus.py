"""A strict reader of the Prometheus text format (0.0.4), for tests of `/metrics`."""

from __future__ import annotations

import math
import re

Sample = tuple[str, frozenset[tuple[str, str]]]

_NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
_LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\\\|\\"|\\n)*"'
_SAMPLE = re.compile(
    rf"^(?P<name>{_NAME})(?:\{{(?P<labels>{_LABEL}(?:,{_LABEL})*)?\}})? "
    r"(?P<value>[-+]?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|Inf|NaN))$"
)
_PAIR = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
_TYPE = re.compile(rf"^# TYPE ({_NAME}) (counter|gauge|histogram|summary|untyped)$")
_HELP = re.compile(rf"^# HELP ({_NAME}) .*$")
_SUFFIXES = ("_bucket", "_sum", "_count")


def _family(name: str, types: dict[str, str]) -> str | None:
    if name in types:
        return name
    for suffix in _SUFFIXES:
        base = name.removesuffix(suffix)
        if base != name and types.get(base) == "histogram":
            return base
    return None


def parse(text: str) -> dict[Sample, float]:
    """Every sample by name and labels; AssertionError on any line out of the grammar."""
    assert text.endswith("\n"), "the exposition ends with a newline"
    types: dict[str, str] = {}
    samples: dict[Sample, float] = {}
    for line in text.splitlines():
        if match := _TYPE.match(line):
            assert match[1] not in types, f"two TYPE lines for {match[1]}"
            types[match[1]] = match[2]
            continue
        if _HELP.match(line):
            continue
        match = _SAMPLE.match(line)
        assert match, f"not a sample line: {line!r}"
        assert _family(match["name"], types), f"no TYPE before {match['name']}"
        labels = frozenset(_PAIR.findall(match["labels"] or ""))
        key = (match["name"], labels)
        assert key not in samples, f"duplicate sample {line!r}"
        value = match["value"]
        samples[key] = math.inf if value in ("Inf", "+Inf") else float(value)
    return samples


def sample(samples: dict[Sample, float], name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)
