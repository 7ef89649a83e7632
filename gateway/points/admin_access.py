"""Who may use the operators' points endpoints: operator keys only (403 for others)."""

from __future__ import annotations

from gateway.access.auth import OperatorKey
from gateway.tenancy.keys import ApiKey

PointsOperator = OperatorKey


def actor_of(caller: ApiKey) -> str:
    """The key as the points service records it on an adjustment: its id, never the secret."""
    return f"key:{caller.key_id}"
