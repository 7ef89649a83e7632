"""Member codes claimed by their first caller (`member_code_uses`); the rule that uses
this store is gateway/shared/code_uses.py."""

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

    async def claim(self, tenant_id: str, code: str, holder: str) -> bool:
        """True when the code is `holder`'s: claimed now, or by them before."""
        doc_id = code_use_id(tenant_id, code)
        try:
            await self._uses.insert_one(
                {"_id": doc_id, "holder": holder, "used_at": datetime.now(UTC)}
            )
        except DuplicateKeyError:
            first = await self._uses.find_one({"_id": doc_id}, {"holder": 1})
            return first is not None and first.get("holder") == holder
        return True

    async def spend(self, tenant_id: str, code: str, holder: str, order_id: str) -> bool:
        """True when the code, claimed by `holder`, pays for `order_id`: the first order
        that names it, or that same order again (a retry)."""
        if not await self.claim(tenant_id, code, holder):
            return False
        unspent = {"$or": [{"spent_for": {"$exists": False}}, {"spent_for": order_id}]}
        spent = await self._uses.update_one(
            {"_id": code_use_id(tenant_id, code), "holder": holder, **unspent},
            {"$set": {"spent_for": order_id}},
        )
        return spent.matched_count == 1
