"""Checks every service applies to a request before its handler runs."""

from __future__ import annotations

from libs.errors import InvalidArgument


def tenant_of(tenant_id: str) -> str:
    """The request's tenant: every call names one, and an empty one is the caller's bug."""
    if not tenant_id:
        raise InvalidArgument("tenant_id: required")
    return tenant_id
