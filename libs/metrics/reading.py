"""Reading another process's `/metrics` text back into figures.

Lenient on purpose: a line it does not understand (a comment, a sample it cannot parse)
is skipped, so one odd series never hides the others from the reader.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

Labels = frozenset[tuple[str, str]]
_PAIR = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


class Samples:
    """Every sample of one exposition, by metric name and labels."""

    def __init__(self, text: str) -> None:
        self._by_name: dict[str, dict[Labels, float]] = {}
        for name, labels, value in _samples(text):
            self._by_name.setdefault(name, {})[labels] = value

    def value(self, name: str, **labels: str) -> float | None:
        return self._by_name.get(name, {}).get(frozenset(labels.items()))

    def by_label(self, name: str, label: str) -> dict[str, float]:
        """One figure per value of `label`, for a metric with that label alone."""
        found = self._by_name.get(name, {})
        return {
            dict(labels)[label]: value
            for labels, value in found.items()
            if len(labels) == 1 and label in dict(labels)
        }


def _samples(text: str) -> Iterator[tuple[str, Labels, float]]:
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        head, _, raw = line.rpartition(" ")
        name, _, labels = head.partition("{")
        try:
            value = float(raw)
        except ValueError:
            continue
        if math.isfinite(value) and name:
            yield name, frozenset(_PAIR.findall(labels)), value
