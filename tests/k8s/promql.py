"""A promtool-style check of PromQL written in Python, for the alert rules and the
dashboard: brackets balance, functions and durations are PromQL's, every series named is
one the code exports (a histogram through its _bucket, _sum or _count), and every label
matched or grouped by is one of those series' labels or a target label the scrape adds.

Not a full parser: it reads the shapes these files use (selectors, ranges, aggregations
with by/without, binary operators, numbers) and reports anything else it meets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from gateway.edge.metrics.instruments import GatewayMetrics
from libs.metrics.process import ProcessMetrics

# name -> (kind, label names)
Exported = Mapping[str, tuple[str, tuple[str, ...]]]
TARGET_LABELS = frozenset({"job", "instance", "namespace", "pod"})
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")
FUNCTIONS = frozenset(
    {
        "abs", "absent", "avg", "avg_over_time", "bottomk", "ceil", "clamp_max", "clamp_min",
        "count", "count_over_time", "delta", "deriv", "floor", "histogram_quantile",
        "increase", "irate", "label_replace", "max", "max_over_time", "min", "min_over_time",
        "predict_linear", "quantile", "rate", "round", "scalar", "sort", "sort_desc", "stddev",
        "sum", "sum_over_time", "time", "topk", "vector",
    }
)  # fmt: skip
KEYWORDS = frozenset({"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring"})
DURATION = r"(?:\d+(?:ms|[smhdwy]))+|\$__rate_interval|\$__interval|\$__range"
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_SELECTOR = re.compile(r'([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{((?:[^{}"]|"(?:[^"\\]|\\.)*")*)\}')
_MATCHER = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"\s*(?:,|$)')
_RANGE = re.compile(r"\[([^\]]*)\]")
_GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^()]*)\)")
_NUMBER = re.compile(r"(?<![a-zA-Z0-9_:.])\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![a-zA-Z0-9_:])")
_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")


def exported_metrics() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every metric the platform's processes export (the services' and the gateway's)."""
    return {**ProcessMetrics().registry.describe(), **GatewayMetrics().registry.describe()}


def series_of(name: str, exported: Exported) -> tuple[str, ...] | None:
    """The labels of a series name the code exports; None when it exports no such series."""
    if name in exported and exported[name][0] != "histogram":
        return exported[name][1]
    for suffix in HISTOGRAM_SUFFIXES:
        base = name.removesuffix(suffix)
        if base != name and exported.get(base, ("", ()))[0] == "histogram":
            labels = exported[base][1]
            return (*labels, "le") if suffix == "_bucket" else labels
    return None


def problems(expr: str, exported: Exported) -> list[str]:
    found = list(_balance(expr))
    names, matched = _selectors(expr, found)
    text = _STRING.sub('""', _SELECTOR.sub(lambda m: f" {m[1] or ''} ", expr))
    for window in _RANGE.findall(text):
        if not re.fullmatch(rf"\s*(?:{DURATION})(?::(?:{DURATION})?)?\s*", window):
            found.append(f"bad range [{window}]")
    text = _RANGE.sub(" ", text)
    grouped = {
        label.strip() for _, labels in _GROUPING.findall(text) for label in labels.split(",")
    }
    text = _NUMBER.sub(" ", re.sub(rf"\boffset\s+(?:{DURATION})", " ", _GROUPING.sub(" ", text)))
    for token in _NAME.finditer(text):
        if text[token.end() :].lstrip()[:1] == "(":
            if token[0] not in FUNCTIONS:
                found.append(f"unknown function {token[0]}")
        elif token[0] not in KEYWORDS:
            names.add(token[0])
    if not names:
        found.append("names no series")
    labels: set[str] = set(TARGET_LABELS)
    for name in sorted(names):
        series = series_of(name, exported)
        if series is None:
            found.append(f"{name} is not a metric the platform exports")
        else:
            labels |= set(series)
    unknown = (matched | grouped) - labels - {""}
    return found + [f"no series has the label {label}" for label in sorted(unknown)]


def _selectors(expr: str, found: list[str]) -> tuple[set[str], set[str]]:
    """The metric names of the expression's selectors and the labels they match on."""
    names: set[str] = set()
    matched: set[str] = set()
    for selector in _SELECTOR.finditer(expr):
        if selector[1]:
            names.add(selector[1])
        matchers, at = selector[2], 0
        while at < len(matchers.rstrip()):
            matcher = _MATCHER.match(matchers, at)
            if matcher is None:
                found.append(f"bad label matchers {{{matchers}}}")
                break
            matched.add(matcher[1])
            at = matcher.end()
    return names, matched


def _balance(expr: str) -> Iterator[str]:
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    for char in _STRING.sub('""', expr):
        if char in "([{":
            stack.append(char)
        elif char in pairs and (not stack or stack.pop() != pairs[char]):
            yield f"unbalanced {char!r}"
            return
    if stack:
        yield f"unclosed {stack[-1]!r}"
