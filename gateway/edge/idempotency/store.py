"""Idempotency records in the gateway's own MongoDB database.

One document per (caller, Idempotency-Key), `_id` unique, so of two concurrent requests
exactly one inserts the claim. A claim is `running` until its answer is stored (`done`)
or released (a 5xx answer, so a retry may run again). A TTL index removes records after
`ttl`; reads also ignore expired ones, since TTL deletion runs only once a minute.

Why MongoDB rather than Redis: the promise is "at least 24 hours", and Redis here is a
cache whose keys may be evicted and which may run without persistence; the rate limiter
may fail open when Redis is down, but idempotency must not.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bson import Binary
from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from gateway.edge.idempotency.personal import NOTHING_OMITTED, Omitted
from libs.mongo import Doc

POLL_SECONDS = 0.05


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    # What the stored body left out (personal.py): put back on replay.
    omitted: Omitted = NOTHING_OMITTED


@dataclass(frozen=True)
class Claim:
    """This request runs; `token` proves the record is still ours when we finish."""

    record_id: str
    token: str


@dataclass(frozen=True)
class Replay:
    answer: StoredAnswer


@dataclass(frozen=True)
class Conflict:
    """The key was used for another request."""


@dataclass(frozen=True)
class InProgress:
    """The first request with this key is still running."""


Outcome = Claim | Replay | Conflict | InProgress


def _now() -> datetime:
    return datetime.now(UTC)


class IdempotencyStore:
    def __init__(
        self,
        collection: AsyncCollection[Doc],
        *,
        ttl: timedelta,
        lease: timedelta,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._records = collection
        self._ttl = ttl
        self._lease = lease
        self._clock = clock
        # Times a request found its key in progress and waited for the first answer:
        # observable, so a test (or a metric) need not guess when a request is waiting.
        self.waits = 0

    async def ensure_indexes(self) -> None:
        await self._records.create_index([("expires_at", ASCENDING)], expireAfterSeconds=0)

    async def begin(self, record_id: str, fingerprint: str, *, wait_seconds: float) -> Outcome:
        """Claim the key, or say what the earlier request with it decided."""
        deadline = asyncio.get_running_loop().time() + wait_seconds
        while True:
            outcome = await self._try_claim(record_id, fingerprint)
            if not isinstance(outcome, InProgress):
                return outcome
            if asyncio.get_running_loop().time() + POLL_SECONDS > deadline:
                return outcome
            self.waits += 1
            await asyncio.sleep(POLL_SECONDS)

    async def complete(self, claim: Claim, answer: StoredAnswer) -> None:
        now = self._clock()
        await self._records.update_one(
            {"_id": claim.record_id, "token": claim.token},
            {
                "$set": {
                    "state": "done",
                    "status": answer.status,
                    "headers": [list(pair) for pair in answer.headers],
                    "body": Binary(answer.body),
                    "omitted": answer.omitted.to_document(),
                    "completed_at": now,
                    "expires_at": now + self._ttl,
                }
            },
        )

    async def release(self, claim: Claim) -> None:
        await self._records.delete_one({"_id": claim.record_id, "token": claim.token})

    async def _try_claim(self, record_id: str, fingerprint: str, attempts: int = 3) -> Outcome:
        fresh = self._running(fingerprint, self._clock())
        try:
            await self._records.insert_one({"_id": record_id, **fresh})
        except DuplicateKeyError:
            pass
        else:
            return Claim(record_id, fresh["token"])
        existing = await self._records.find_one({"_id": record_id})
        if existing is not None:
            return await self._judge(existing, fresh)
        if attempts > 1:  # released in between: claim it now
            return await self._try_claim(record_id, fingerprint, attempts - 1)
        return InProgress()

    async def _judge(self, existing: Doc, fresh: dict[str, Any]) -> Outcome:
        """What an earlier request with the same key means for this one."""
        now = fresh["created_at"]
        if existing["expires_at"].replace(tzinfo=UTC) <= now:
            return await self._take_over(existing, fresh)
        if existing["fingerprint"] != fresh["fingerprint"]:
            return Conflict()
        if existing["state"] == "done":
            return Replay(_answer_of(existing))
        if self._abandoned(existing, now):
            return await self._take_over(existing, fresh)
        return InProgress()

    def _running(self, fingerprint: str, now: datetime) -> dict[str, Any]:
        return {
            "state": "running",
            "fingerprint": fingerprint,
            "token": secrets.token_hex(16),
            "created_at": now,
            "locked_until": now + self._lease,
            "expires_at": now + self._ttl,
        }

    @staticmethod
    def _abandoned(existing: Doc, now: datetime) -> bool:
        """A claim whose process died before answering: its lease has run out."""
        locked_until = existing.get("locked_until")
        return (
            existing["state"] == "running"
            and locked_until is not None
            and locked_until.replace(tzinfo=UTC) <= now
        )

    async def _take_over(self, existing: Doc, fresh: dict[str, Any]) -> Outcome:
        result = await self._records.replace_one(
            {"_id": existing["_id"], "token": existing["token"]}, fresh
        )
        return Claim(existing["_id"], fresh["token"]) if result.modified_count else InProgress()


def _answer_of(doc: Doc) -> StoredAnswer:
    return StoredAnswer(
        status=int(doc["status"]),
        headers=tuple((str(name), str(value)) for name, value in doc.get("headers", ())),
        body=bytes(doc["body"]),
        omitted=Omitted.from_document(doc.get("omitted")),
    )
