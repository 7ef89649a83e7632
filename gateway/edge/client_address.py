"""The caller's network address, for limits per address."""

from __future__ import annotations

from starlette.requests import HTTPConnection


def client_address(request: HTTPConnection) -> str:
    """The address the server saw (behind a proxy, uvicorn's `--forwarded-allow-ips`
    decides whether `X-Forwarded-For` is believed)."""
    return request.client.host if request.client is not None else "unknown"
