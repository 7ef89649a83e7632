from __future__ import annotations

import pytest

from libs.metrics.process import BoundedLabel
from libs.metrics.registry import Counter, Gauge, Histogram, Registry
from tests.support.prometheus import parse, sample


def test_a_counter_renders_one_sample_per_label_set() -> None:
    registry = Registry()
    counter = Counter("hits_total", "Hits.", ("route",))
    registry.add(counter)
    counter.inc(("/a",))
    counter.inc(("/a",))
    counter.inc(("/b",), 3)

    samples = parse(registry.render())

    assert sample(samples, "hits_total", route="/a") == 2
    assert sample(samples, "hits_total", route="/b") == 3


def test_histogram_buckets_are_cumulative_with_sum_and_count() -> None:
    registry = Registry()
    histogram = Histogram("latency_seconds", "Latency.", ("m",), buckets=(0.1, 1.0))
    registry.add(histogram)
    for value in (0.05, 0.1, 0.5, 3.0):
        histogram.observe(("x",), value)

    samples = parse(registry.render())

    assert sample(samples, "latency_seconds_bucket", m="x", le="0.1") == 2
    assert sample(samples, "latency_seconds_bucket", m="x", le="1") == 3
    assert sample(samples, "latency_seconds_bucket", m="x", le="+Inf") == 4
    assert sample(samples, "latency_seconds_count", m="x") == 4
    assert sample(samples, "latency_seconds_sum", m="x") == pytest.approx(3.65)


def test_label_values_are_escaped() -> None:
    registry = Registry()
    counter = Counter("odd_total", "Odd labels.", ("v",))
    registry.add(counter)
    counter.inc(('a "quoted" \\ back\nslash',))

    text = registry.render()

    assert 'v="a \\"quoted\\" \\\\ back\\nslash"' in text
    assert len(parse(text)) == 1


def test_a_gauge_goes_up_and_down_and_a_counter_only_up() -> None:
    gauge, counter = Gauge("g", "G."), Counter("c_total", "C.")
    gauge.inc()
    gauge.inc()
    gauge.dec()

    assert gauge.value() == 1
    with pytest.raises(ValueError, match="only goes up"):
        counter.inc(amount=-1)


def test_one_name_cannot_be_registered_twice() -> None:
    registry = Registry()
    registry.add(Counter("c_total", "C."))

    with pytest.raises(ValueError, match="already registered"):
        registry.add(Counter("c_total", "C."))


def test_a_bounded_label_sends_values_past_its_limit_to_other() -> None:
    tenant = BoundedLabel(limit=2)

    assert [tenant(t) for t in ("a", "b", "c", "a", "d", "b")] == [
        "a",
        "b",
        "other",
        "a",
        "other",
        "b",
    ]


def test_a_gauge_is_set_and_its_labelled_series_cleared() -> None:
    gauge = Gauge("budget_points", "Budget.", ("campaign",))
    gauge.set(("c1",), 5)
    gauge.set(("c1",), 3)
    assert gauge.value(("c1",)) == 3

    gauge.clear()

    registry = Registry()
    registry.add(gauge)
    assert parse(registry.render()) == {}
