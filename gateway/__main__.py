"""`python -m gateway`: serve the HTTP API until SIGTERM or SIGINT."""

from __future__ import annotations

import uvicorn

from gateway.app import create_app
from gateway.settings import GatewaySettings
from libs.logging import configure_logging
from libs.settings import load_settings
from libs.tracing import configure_tracing


def main() -> None:
    settings = load_settings(GatewaySettings)
    configure_logging("gateway", settings.log_level, settings.log_format)
    flush_spans = configure_tracing("gateway", settings.otel_exporter_otlp_endpoint)
    config = uvicorn.Config(
        create_app(settings),
        host=settings.gateway_host,
        port=settings.gateway_port,
        loop="uvloop",
        http="httptools",
        log_config=None,
        lifespan="on",
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=int(settings.shutdown_grace_seconds),
    )
    # uvicorn handles SIGTERM and SIGINT: it stops accepting, drains, then runs the lifespan's
    # shutdown, which closes the gRPC channels and the Mongo client.
    try:
        uvicorn.Server(config).run()
    finally:
        flush_spans()


if __name__ == "__main__":
    main()
