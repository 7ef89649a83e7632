"""Audit trail, consent history and tier history over MongoDB: append-only rows."""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING

from libs.mongo import Database, Doc, Session
from services.member.adapters.documents.actors import actor_from_doc, actor_to_doc
from services.member.domain.history import (
    AuditEntry,
    AuditPage,
    ConsentChange,
    MemberHistory,
    TierChange,
)

AUDIT = "audit"
CONSENT_HISTORY = "consent_history"
TIER_HISTORY = "tier_history"
EXPORT_LIMIT = 10_000


def _audit_from(doc: Doc) -> AuditEntry:
    return AuditEntry(
        entry_id=doc["_id"],
        tenant_id=doc["tenant_id"],
        member_id=doc["member_id"],
        action=doc["action"],
        fields=tuple(doc["fields"]),
        actor=actor_from_doc(doc["actor"]),
        at=doc["at"],
    )


def _consent_from(doc: Doc) -> ConsentChange:
    return ConsentChange(
        doc["tenant_id"],
        doc["member_id"],
        doc["purpose"],
        doc["granted"],
        doc["channel"],
        doc["source"],
        actor_from_doc(doc["actor"]),
        doc["at"],
    )


def _tier_from(doc: Doc) -> TierChange:
    return TierChange(
        doc["tenant_id"],
        doc["member_id"],
        doc["from_code"],
        doc["to_code"],
        doc["reason"],
        actor_from_doc(doc["actor"]),
        doc["at"],
        doc["note"],
    )


async def ensure_history_indexes(db: Database) -> None:
    for name in (AUDIT, CONSENT_HISTORY, TIER_HISTORY):
        await db[name].create_index(
            [("tenant_id", ASCENDING), ("member_id", ASCENDING), ("at", ASCENDING)]
        )


class MongoHistoryRepository:
    def __init__(self, db: Database, session: Session | None) -> None:
        self._db = db
        self._session = session

    async def add_audit(self, entry: AuditEntry) -> None:
        row: Doc = {
            "_id": entry.entry_id,
            "tenant_id": entry.tenant_id,
            "member_id": entry.member_id,
            "action": entry.action,
            "fields": list(entry.fields),
            "actor": actor_to_doc(entry.actor),
            "at": entry.at,
        }
        await self._db[AUDIT].insert_one(row, session=self._session)

    async def add_consent(self, change: ConsentChange) -> None:
        row: Doc = {
            "tenant_id": change.tenant_id,
            "member_id": change.member_id,
            "purpose": change.purpose,
            "granted": change.granted,
            "channel": change.channel,
            "source": change.source,
            "actor": actor_to_doc(change.actor),
            "at": change.at,
        }
        await self._db[CONSENT_HISTORY].insert_one(row, session=self._session)

    async def add_tier(self, change: TierChange) -> None:
        row: Doc = {
            "tenant_id": change.tenant_id,
            "member_id": change.member_id,
            "from_code": change.from_code,
            "to_code": change.to_code,
            "reason": change.reason,
            "note": change.note,
            "actor": actor_to_doc(change.actor),
            "at": change.at,
        }
        await self._db[TIER_HISTORY].insert_one(row, session=self._session)

    async def forget_notes(self, tenant_id: str, member_id: str) -> None:
        await self._db[TIER_HISTORY].update_many(
            {"tenant_id": tenant_id, "member_id": member_id, "note": {"$ne": ""}},
            {"$set": {"note": ""}},
            session=self._session,
        )

    async def _rows(self, name: str, tenant_id: str, member_id: str) -> list[Doc]:
        cursor = (
            self._db[name]
            .find({"tenant_id": tenant_id, "member_id": member_id}, session=self._session)
            .sort([("at", ASCENDING), ("_id", ASCENDING)])
            .limit(EXPORT_LIMIT)
        )
        return await cursor.to_list()

    async def of_member(self, tenant_id: str, member_id: str) -> MemberHistory:
        return MemberHistory(
            consents=[
                _consent_from(d) for d in await self._rows(CONSENT_HISTORY, tenant_id, member_id)
            ],
            tiers=[_tier_from(d) for d in await self._rows(TIER_HISTORY, tenant_id, member_id)],
            audit=[_audit_from(d) for d in await self._rows(AUDIT, tenant_id, member_id)],
        )

    async def consent_changes(
        self, tenant_id: str, member_id: str, limit: int
    ) -> list[ConsentChange]:
        cursor = (
            self._db[CONSENT_HISTORY]
            .find({"tenant_id": tenant_id, "member_id": member_id}, session=self._session)
            .sort([("at", DESCENDING), ("_id", DESCENDING)])
            .limit(limit)
        )
        return [_consent_from(d) for d in await cursor.to_list()]

    async def audit_page(
        self, tenant_id: str, member_id: str, cursor: str, limit: int
    ) -> AuditPage:
        found: Doc = {"tenant_id": tenant_id, "member_id": member_id}
        if cursor:
            found["_id"] = {"$lt": cursor}
        rows = await (
            self._db[AUDIT]
            .find(found, session=self._session)
            .sort("_id", DESCENDING)
            .limit(limit + 1)
            .to_list()
        )
        entries = [_audit_from(d) for d in rows[:limit]]
        return AuditPage(entries, entries[-1].entry_id if len(rows) > limit else "")
