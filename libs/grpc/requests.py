"""Checks every service applies to a request before its handler runs."""

from __future__ import annotations

from typing import Any

from grpc import aio

from libs.errors import InvalidArgument


def tenant_of(tenant_id: str) -> str:
    """The request's tenant: every call names one, and an empty one is the caller's bug."""
    if not tenant_id:
        raise InvalidArgument("tenant_id: required")
    return tenant_id


Context = aio.ServicerContext[Any, Any]
"""What every RPC method receives beside its request."""
