"""Member codes are good for one use: the first till to resolve one claims it here.

A code is signed by the member service and lasts 60 seconds; without this, anyone who saw
or photographed it could resolve it again and again until then. The claim is a document
in the gateway's own database (`member_code_uses`, `_id` the SHA-256 of the tenant and
the code, unique), kept a while past any code's lifetime by a TTL index. MongoDB rather
than Redis: a claim must not fail open.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from libs.mongo import Doc

# Longer than any code lives (60 s), so a claim outlasts its code.
KEEP_SECONDS = 600


def code_use_id(tenant_id: str, code: str) -> str:
    return hashlib.sha256(f"{tenant_id}\n{code}".encode()).hexdigest()


class MemberCodeUses:
    def __init__(self, collection: AsyncCollection[Doc]) -> None:
        self._uses = collection

    async def ensure_indexes(self) -> None:
        await self._uses.create_index([("used_at", ASCENDING)], expireAfterSeconds=KEEP_SECONDS)

    async def claim(self, tenant_id: str, code: str, member_id: str) -> bool:
        """True for the first use of the code; False when it was used before."""
        doc = {
            "_id": code_use_id(tenant_id, code),
            "member_id": member_id,
            "used_at": datetime.now(UTC),
        }
        try:
            await self._uses.insert_one(doc)
        except DuplicateKeyError:
            return False
        return True
