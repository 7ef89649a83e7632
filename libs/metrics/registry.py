"""Counters, gauges and histograms with labels, rendered in the Prometheus text format
(version 0.0.4). Small on purpose: every process needs these three kinds and nothing
else, so no client library is pinned for them. Pure code, used from one event loop."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from bisect import bisect_left
from collections.abc import Collection, Iterator, Sequence

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

Labels = tuple[str, ...]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


def _labels(names: Sequence[str], values: Sequence[str], extra: str = "") -> str:
    pairs = [f'{name}="{_escape(value)}"' for name, value in zip(names, values, strict=True)]
    if extra:
        pairs.append(extra)
    return "{" + ",".join(pairs) + "}" if pairs else ""


class Metric(ABC):
    kind = "untyped"

    def __init__(self, name: str, help_text: str, labelnames: Sequence[str] = ()) -> None:
        self.name = name
        self.help_text = help_text
        self.labelnames = tuple(labelnames)

    def header(self) -> Iterator[str]:
        yield f"# HELP {self.name} {_escape(self.help_text)}"
        yield f"# TYPE {self.name} {self.kind}"

    @abstractmethod
    def samples(self) -> Iterator[str]: ...


class Counter(Metric):
    kind = "counter"

    def __init__(self, name: str, help_text: str, labelnames: Sequence[str] = ()) -> None:
        super().__init__(name, help_text, labelnames)
        # Without labels there is exactly one series: shown from the start, as 0.
        self._values: dict[Labels, float] = {} if self.labelnames else {(): 0.0}

    def inc(self, labels: Labels = (), amount: float = 1.0) -> None:
        if amount < 0:
            raise ValueError("a counter only goes up")
        self._values[labels] = self._values.get(labels, 0.0) + amount

    def value(self, labels: Labels = ()) -> float:
        return self._values.get(labels, 0.0)

    def samples(self) -> Iterator[str]:
        for labels, value in sorted(self._values.items()):
            yield f"{self.name}{_labels(self.labelnames, labels)} {_number(value)}"


class Gauge(Counter):
    kind = "gauge"

    def inc(self, labels: Labels = (), amount: float = 1.0) -> None:
        self._values[labels] = self._values.get(labels, 0.0) + amount

    def dec(self, labels: Labels = (), amount: float = 1.0) -> None:
        self.inc(labels, -amount)

    def set(self, labels: Labels = (), value: float = 0.0) -> None:
        self._values[labels] = value

    def clear(self) -> None:
        """Forget every labelled series (a collector about to set the current ones)."""
        if self.labelnames:
            self._values.clear()


class Histogram(Metric):
    kind = "histogram"

    def __init__(
        self,
        name: str,
        help_text: str,
        labelnames: Sequence[str] = (),
        buckets: Sequence[float] = LATENCY_BUCKETS,
    ) -> None:
        super().__init__(name, help_text, labelnames)
        self.buckets = tuple(sorted(buckets))
        self._counts: dict[Labels, list[int]] = {}
        self._sums: dict[Labels, float] = {}

    def observe(self, labels: Labels, value: float) -> None:
        counts = self._counts.setdefault(labels, [0] * (len(self.buckets) + 1))
        counts[bisect_left(self.buckets, value)] += 1  # the first bucket with le >= value
        self._sums[labels] = self._sums.get(labels, 0.0) + value

    def count(self, labels: Labels) -> int:
        return sum(self._counts.get(labels, ()))

    def samples(self) -> Iterator[str]:
        for labels, counts in sorted(self._counts.items()):
            cumulative = 0
            for bound, count in zip((*self.buckets, math.inf), counts, strict=True):
                cumulative += count
                le = _labels(self.labelnames, labels, f'le="{_number(bound)}"')
                yield f"{self.name}_bucket{le} {cumulative}"
            plain = _labels(self.labelnames, labels)
            yield f"{self.name}_sum{plain} {_number(self._sums[labels])}"
            yield f"{self.name}_count{plain} {cumulative}"


class Registry:
    def __init__(self) -> None:
        self._metrics: dict[str, Metric] = {}

    def add(self, metric: Metric) -> None:
        if metric.name in self._metrics:
            raise ValueError(f"{metric.name} is already registered")
        self._metrics[metric.name] = metric

    def describe(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Each metric's name, kind (counter, gauge, histogram) and label names."""
        return {name: (m.kind, m.labelnames) for name, m in self._metrics.items()}

    def render(self, only: Collection[str] | None = None) -> str:
        """Every metric in the text format, or those named in `only`."""
        lines: list[str] = []
        for metric in self._metrics.values():
            if only is not None and metric.name not in only:
                continue
            lines.extend(metric.header())
            lines.extend(metric.samples())
        return "\n".join(lines) + "\n"
