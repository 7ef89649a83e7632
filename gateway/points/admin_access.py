"""Who may use the operators' points endpoints: operator keys only (403 for others)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from gateway.members.access import RequireChannels
from gateway.tenancy.keys import ApiKey

PointsOperator = Annotated[ApiKey, Depends(RequireChannels("operator"))]


def actor_of(caller: ApiKey) -> str:
    """The key as the points service records it on an adjustment: its id, never the secret."""
    return f"key:{caller.key_id}"
