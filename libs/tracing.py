"""OpenTelemetry tracing: one trace per purchase, from the gateway through gRPC calls, the
outbox and NATS to every consumer.

Off unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set: every hook then costs one check of
`enabled()` and nothing else. On, spans go to the endpoint over OTLP/HTTP in batches. The
trace context travels as W3C `traceparent` (and `tracestate`) in gRPC metadata and NATS
headers; an outbox row keeps the context of the transaction that wrote it, so its publish
and every consumer of the event join the trace of the request that caused it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter
from opentelemetry.trace import Link, Span, SpanKind, Status, StatusCode

_TRACER = "loyalty"
_state = {"enabled": False}

Carrier = dict[str, str]
Shutdown = Callable[[], None]


def enabled() -> bool:
    return _state["enabled"]


def configure_tracing(
    service: str, endpoint: str | None, *, exporter: SpanExporter | None = None
) -> Shutdown:
    """Export this process's spans to `endpoint` (OTLP/HTTP), or to `exporter` (a test's
    in-memory one); with neither, tracing stays off. Returns what flushes them at exit."""
    if not endpoint and exporter is None:
        _state["enabled"] = False
        return lambda: None
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):  # a process sets its provider once
        provider = TracerProvider(resource=Resource.create({"service.name": service}))
        trace.set_tracer_provider(provider)
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    else:
        url = f"{(endpoint or '').rstrip('/')}/v1/traces"
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=url)))
    _state["enabled"] = True
    return provider.shutdown


def disable_tracing() -> None:
    """Hooks stop making spans (a test that traced is over)."""
    _state["enabled"] = False


def tracer() -> trace.Tracer:
    return trace.get_tracer(_TRACER)


def inject(carrier: Carrier | None = None, context: Context | None = None) -> Carrier:
    """The current (or given) context as W3C headers added to `carrier`."""
    found: Carrier = {} if carrier is None else carrier
    propagate.inject(found, context=context)
    return found


def extract(carrier: Mapping[str, str] | None) -> Context:
    return propagate.extract(dict(carrier or {}))


def current_trace_id() -> str | None:
    """The current span's trace id in hex, for log lines; None when nothing is traced."""
    if not _state["enabled"]:
        return None
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


@contextmanager
def span(
    name: str,
    kind: SpanKind = SpanKind.INTERNAL,
    *,
    parent: Context | None = None,
    links: list[Link] | None = None,
    attributes: Mapping[str, str | int] | None = None,
) -> Iterator[Span | None]:
    """A span around the block, current inside it; None (and no cost) when tracing is off.
    An exception leaving the block marks the span failed."""
    if not _state["enabled"]:
        yield None
        return
    with tracer().start_as_current_span(
        name, context=parent, kind=kind, links=links, attributes=attributes
    ) as current:
        yield current


def fail(current: Span | None, description: str) -> None:
    if current is not None:
        current.set_status(Status(StatusCode.ERROR, description))
