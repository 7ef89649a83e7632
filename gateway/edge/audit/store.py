"""The audit trail in the gateway's own MongoDB database: append-only.

This class can add entries and read them; it has no way to change or remove one, and no
route of the platform writes the collection except through `append`, which only the
recorder (`gateway.edge.audit.recorder`, operators' requests and sign-ins) and the admin
CLI's (`gateway.admin.audited`) call (a unit test checks both).
"""

from __future__ import annotations

import base64
import re
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.collection import AsyncCollection

from gateway.edge.audit.trail import Actor, AuditEntry, Change, Origin, Resource
from libs.mongo import Doc

COLLECTION = "audit_trail"


@dataclass(frozen=True)
class AuditQuery:
    """A search within one tenant; every filter is optional. `resource` is `kind:id` or a
    bare id; `action` matches from the start (`POST /v1/admin/campaigns` finds its
    sub-routes too)."""

    tenant_id: str
    actor: str | None = None
    resource: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    next_cursor: str | None


def _doc(entry: AuditEntry) -> Doc:
    doc = asdict(entry)
    doc["_id"] = doc.pop("entry_id")
    doc["action"] = entry.action
    doc["actor"]["stores"] = list(entry.actor.stores)
    return doc


def _entry(doc: Doc) -> AuditEntry:
    return AuditEntry(
        entry_id=doc["_id"],
        tenant_id=doc["tenant_id"],
        at=doc["at"],
        actor=Actor(**{**doc["actor"], "stores": tuple(doc["actor"].get("stores", ()))}),
        origin=Origin(**doc["origin"]),
        method=doc["method"],
        route=doc["route"],
        status=doc["status"],
        resources=tuple(Resource(**r) for r in doc.get("resources", ())),
        changes=tuple(Change(**c) for c in doc.get("changes", ())),
        replayed=doc.get("replayed", False),
        extra=doc.get("extra", {}),
    )


def _filter(query: AuditQuery) -> Doc:
    found: Doc = {"tenant_id": query.tenant_id}
    if query.actor:
        found["actor.id"] = query.actor
    if query.resource:
        kind, colon, rid = query.resource.partition(":")
        if colon:
            found["resources"] = {"$elemMatch": {"kind": kind, "id": rid}}
        else:
            found["resources.id"] = query.resource
    if query.action:
        found["action"] = {"$regex": f"^{re.escape(query.action)}"}
    window: Doc = {}
    if query.since is not None:
        window["$gte"] = query.since
    if query.until is not None:
        window["$lt"] = query.until
    if window:
        found["at"] = window
    return found


def encode_cursor(entry_id: str) -> str:
    return base64.urlsafe_b64encode(entry_id.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str | None:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except ValueError:
        return None


class AuditStore:
    def __init__(self, collection: AsyncCollection[Doc]) -> None:
        self._entries = collection

    async def ensure_indexes(self) -> None:
        # Ids are time-ordered (libs.ids), so newest first is `_id` descending.
        await self._entries.create_index([("tenant_id", ASCENDING), ("_id", DESCENDING)])
        await self._entries.create_index([("tenant_id", ASCENDING), ("at", DESCENDING)])
        await self._entries.create_index(
            [("tenant_id", ASCENDING), ("actor.id", ASCENDING), ("_id", DESCENDING)]
        )
        await self._entries.create_index(
            [("tenant_id", ASCENDING), ("resources.id", ASCENDING), ("_id", DESCENDING)]
        )

    async def append(self, entry: AuditEntry) -> None:
        await self._entries.insert_one(_doc(entry))

    def _find(self, query: AuditQuery, after: str | None) -> Any:
        found = _filter(query)
        if after is not None:
            found["_id"] = {"$lt": after}
        return self._entries.find(found).sort("_id", DESCENDING)

    async def search(self, query: AuditQuery, *, limit: int, cursor: str | None) -> AuditPage:
        """Newest first, `limit` at a time; `next_cursor` is None on the last page."""
        after = decode_cursor(cursor) if cursor else None
        docs = [doc async for doc in self._find(query, after).limit(limit + 1)]
        entries = [_entry(doc) for doc in docs[:limit]]
        more = len(docs) > limit and entries
        return AuditPage(entries, encode_cursor(entries[-1].entry_id) if more else None)

    async def stream(self, query: AuditQuery, *, limit: int) -> AsyncIterator[AuditEntry]:
        """Every matching entry, newest first, at most `limit` (an export)."""
        async for doc in self._find(query, None).limit(limit):
            yield _entry(doc)
