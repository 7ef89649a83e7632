"""Erasure of operator free text in the points service's own database."""

from __future__ import annotations

from typing import Any

from libs.mongo import Database
from services.points.adapters.repositories import ENTRIES
from services.points.adapters.repositories.operators import ADJUSTMENTS, TRANSFERS
from services.points.domain.erasure import ERASED_REASON, WITH_OPERATOR_TEXT, redacted_reason
from services.points.domain.ledger import EntryType


class MongoFreeTextEraser:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def erase(self, tenant_id: str, member_id: str) -> int:
        """How many documents changed (0 on a second run)."""
        erased = {"$set": {"reason": ERASED_REASON}}
        unredacted = {"reason": {"$ne": ERASED_REASON}}
        adjusted = await self._db[ADJUSTMENTS].update_many(
            {"tenant_id": tenant_id, "member_id": member_id, **unredacted}, erased
        )
        either_side = [{"from_member_id": member_id}, {"to_member_id": member_id}]
        transfer_ids = [
            doc["transfer_id"]
            async for doc in self._db[TRANSFERS].find(
                {"tenant_id": tenant_id, "$or": either_side}, {"transfer_id": 1}
            )
        ]
        transferred = await self._db[TRANSFERS].update_many(
            {"tenant_id": tenant_id, "$or": either_side, **unredacted}, erased
        )
        entries = await self._erase_entries(tenant_id, member_id, transfer_ids)
        return adjusted.modified_count + transferred.modified_count + entries

    async def _erase_entries(self, tenant_id: str, member_id: str, transfer_ids: list[str]) -> int:
        """The member's adjust and transfer entries, and the other side of their transfers."""
        kinds = [kind.value for kind in WITH_OPERATOR_TEXT]
        query: dict[str, Any] = {
            "tenant_id": tenant_id,
            "type": {"$in": kinds},
            "$or": [{"member_id": member_id}, {"transfer_id": {"$in": transfer_ids}}],
        }
        changed = 0
        fields = {"type": 1, "reason": 1, "reason_code": 1}
        async for doc in self._db[ENTRIES].find(query, fields):
            reason = redacted_reason(EntryType(doc["type"]), doc["reason"])
            if reason != doc["reason"]:
                redacted: dict[str, Any] = {"reason": reason}
                if doc.get("reason_code"):
                    # The operator's text is also a parameter its rendering shows.
                    redacted["reason_params.text"] = ERASED_REASON
                await self._db[ENTRIES].update_one({"_id": doc["_id"]}, {"$set": redacted})
                changed += 1
        return changed
