"""Tracing on for one test, its spans kept in memory: the one way tests read traces."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from libs import tracing


@contextmanager
def recorded_spans() -> Iterator[InMemorySpanExporter]:
    """Every span this process finishes inside the block; tracing is off again after it,
    and the exporter keeps nothing more (a gateway app made meanwhile still traces)."""
    exporter = InMemorySpanExporter()
    tracing.configure_tracing("loyalty-tests", None, exporter=exporter)
    try:
        yield exporter
    finally:
        tracing.disable_tracing()
        exporter.shutdown()
