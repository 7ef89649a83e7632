"""Hand-off codes: how a brand's app opens the member centre with a session its backend
minted, without a lasting secret in a URL.

The backend asks for a code with its channel key (`POST /v1/members/{id}/session-handoffs`)
and opens `/m?handoff=<code>`; the page trades the code for the member session in an
HttpOnly cookie (`POST /v1/member-sessions/handoff`). A code is random (256 bits), lives
the tenant's `member_sessions.handoff_seconds` (a minute by default), is kept in Redis only
as its SHA-256, and is taken by `GETDEL`, so it opens one session at most. The session
itself is made only when the code is taken: no token exists before the cookie holds it.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from redis.asyncio import Redis

from gateway.tenancy.keys import Channel, hash_secret

CODE_PREFIX = "mh_"
CODE_PATTERN = r"^mh_[A-Za-z0-9_-]{43}$"


@dataclass(frozen=True)
class Handoff:
    tenant_id: str
    member_id: str
    channel: Channel


def _slot(code: str) -> str:
    return f"member-handoff:{hash_secret(code)}"


class HandoffCodes:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def issue(self, handoff: Handoff, *, lifetime_seconds: int) -> str:
        code = CODE_PREFIX + secrets.token_urlsafe(32)
        record = {
            "tenant_id": handoff.tenant_id,
            "member_id": handoff.member_id,
            "channel": handoff.channel,
        }
        await self._redis.set(_slot(code), json.dumps(record), ex=lifetime_seconds)
        return code

    async def take(self, code: str) -> Handoff | None:
        """The hand-off the live code names, used up; None for an unknown, used or expired one."""
        raw = await self._redis.getdel(_slot(code))
        if raw is None:
            return None
        record = json.loads(raw)
        return Handoff(record["tenant_id"], record["member_id"], record["channel"])
