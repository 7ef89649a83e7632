"""Tracing is off unless configured, and a log line logged inside a span carries its trace."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from libs import tracing
from libs.logging import add_trace_id
from tests.support.spans import recorded_spans


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    with recorded_spans() as exporter:
        yield exporter


def test_without_an_endpoint_tracing_is_off_and_makes_no_span() -> None:
    tracing.configure_tracing("tests", None)

    with tracing.span("nothing") as span:
        assert span is None
        assert tracing.current_trace_id() is None
    assert "traceparent" not in tracing.inject()


def test_a_log_line_inside_a_span_carries_its_trace_id(spans: InMemorySpanExporter) -> None:
    with tracing.span("work") as span:
        assert span is not None
        line = add_trace_id(None, "info", {"event": "worked"})

    (finished,) = spans.get_finished_spans()
    assert finished.context is not None
    assert line["trace_id"] == format(finished.context.trace_id, "032x")


def test_a_context_carried_as_traceparent_continues_the_trace(
    spans: InMemorySpanExporter,
) -> None:
    with tracing.span("writer"):
        carrier = tracing.inject()
    with tracing.span("reader", parent=tracing.extract(carrier)):
        pass

    writer, reader = spans.get_finished_spans()
    assert carrier["traceparent"].startswith("00-")
    assert reader.parent is not None
    assert writer.context is not None
    assert reader.context is not None
    assert reader.parent.span_id == writer.context.span_id
    assert reader.context.trace_id == writer.context.trace_id
