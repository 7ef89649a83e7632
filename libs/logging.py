"""Structured logging: JSON in containers, readable in a terminal.

Messages are constant strings with data in fields. `request_id` (and any other value
bound with `bind_request`) is added to every line logged while handling that request,
and `trace_id` to every line logged inside a traced span (libs/tracing.py).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import structlog

from libs.ids import new_id
from libs.settings import LogFormat
from libs.tracing import current_trace_id

REQUEST_ID_HEADER = "x-request-id"


def configure_logging(service: str, level: str = "INFO", fmt: LogFormat = "json") -> None:
    """Route structlog and the standard library's loggers through one renderer."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_service(service),
        add_trace_id,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        # An event below the level is dropped before the other processors run: the gateway
        # logs a line per request at INFO, which cost 10 µs under WARNING without this.
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("pymongo", "nats", "httpx", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


def _add_service(service: str) -> Any:
    def processor(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
        event.setdefault("service", service)
        return event

    return processor


def add_trace_id(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    if (trace_id := current_trace_id()) is not None:
        event.setdefault("trace_id", trace_id)
    return event


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    logger: structlog.stdlib.BoundLogger = structlog.get_logger(name)
    return logger


@contextmanager
def bind_request(request_id: str | None = None, **fields: Any) -> Iterator[str]:
    """Bind a request id (generated when the caller sent none) to every log line inside."""
    rid = request_id or new_id()
    with structlog.contextvars.bound_contextvars(request_id=rid, **fields):
        yield rid


def current_request_id() -> str | None:
    value = structlog.contextvars.get_contextvars().get("request_id")
    return value if isinstance(value, str) else None
