"""The port one-time sign-in codes leave through, and its adapters here.

Production plugs an SMS or WeChat provider's adapter in behind `CodeSender`. Under
`make run` the development sender keeps each tenant's messages briefly in Redis, for that
tenant's admins and support to read (`GET /v1/admin/member-code-messages`, the console's
"Sign-in codes" page); `gateway.settings` refuses it on a gateway reachable beyond loopback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from redis.asyncio import Redis

from gateway.edge.problems import ApiProblem

KEPT_MESSAGES = 50
KEPT_SECONDS = 15 * 60


@dataclass(frozen=True)
class CodeMessage:
    to: str
    text: str
    sent_at: datetime


class CodeSender(Protocol):
    async def send(self, tenant_id: str, to: str, text: str) -> None: ...


class NoSender:
    """No provider configured: signing in by code is unavailable (503)."""

    async def send(self, tenant_id: str, to: str, text: str) -> None:
        raise ApiProblem(503, "code_sender_unavailable", "this platform sends no sign-in codes yet")


def _inbox(tenant_id: str) -> str:
    return f"dev-code-messages:{{{tenant_id}}}"


class DevelopmentSender:
    """Keeps the latest messages of each tenant for a quarter of an hour, sending nothing."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def send(self, tenant_id: str, to: str, text: str) -> None:
        message = {"to": to, "text": text, "sent_at": datetime.now(UTC).isoformat()}
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.lpush(_inbox(tenant_id), json.dumps(message))
            pipe.ltrim(_inbox(tenant_id), 0, KEPT_MESSAGES - 1)
            pipe.expire(_inbox(tenant_id), KEPT_SECONDS)
            await pipe.execute()

    async def messages(self, tenant_id: str) -> list[CodeMessage]:
        raw = await self._redis.lrange(_inbox(tenant_id), 0, KEPT_MESSAGES - 1)
        parsed = [json.loads(item) for item in raw]
        return [
            CodeMessage(m["to"], m["text"], datetime.fromisoformat(m["sent_at"])) for m in parsed
        ]
