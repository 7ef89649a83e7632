"""Follow `member.erased`: the operator text kept about the member is redacted."""

from __future__ import annotations

from services.points.domain.erasure import FreeTextEraser

CONSUMER = "points-erasures"


async def erase_free_text(tenant_id: str, member_id: str, eraser: FreeTextEraser) -> int:
    """Idempotent, so a redelivered event needs no inbox: it finds nothing left to change."""
    if not (tenant_id and member_id):
        raise ValueError("member.erased names no member")
    return await eraser.erase(tenant_id, member_id)
