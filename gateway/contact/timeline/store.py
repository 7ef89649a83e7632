"""The members' timelines: one document per entry in the gateway's database
(`member_timeline`), and who was merged into whom (`timeline_merges`).

Entries from the stream have ids made of the tenant and the event id, and are inserted
only when absent, so a redelivered event adds nothing. A survivor's timeline reads its
own entries and those of every member merged into it (looked up when read, so an event
of the merged member that arrives after the merge still shows). Erasure removes the text
of the member's notes and feedback and keeps the rest, which is not personal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection

from gateway.contact.timeline.cursor import Position, decode, encode
from gateway.contact.timeline.kinds import STORE_KINDS
from libs.mongo import Doc, Session

MERGE_HOPS = 8  # a member merged into one that was merged again, and so on
TEXT_FIELDS = ("text", "comment", "answer")


@dataclass(frozen=True)
class TimelineQuery:
    tenant_id: str
    member_id: str
    kinds: Sequence[str] = ()
    channel: str | None = None
    store_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    # A store manager's stores: entries of a store kind elsewhere are left out.
    only_stores: frozenset[str] | None = None


@dataclass(frozen=True)
class TimelinePage:
    entries: list[Doc] = field(default_factory=list)
    next_cursor: str | None = None


class BadCursor(ValueError):
    """A cursor this gateway did not make."""


def entry_id(tenant_id: str, source: str) -> str:
    return f"{tenant_id}:{source}"


class TimelineStore:
    def __init__(self, entries: AsyncCollection[Doc], merges: AsyncCollection[Doc]) -> None:
        self._entries = entries
        self._merges = merges

    async def ensure_indexes(self) -> None:
        await self._entries.create_index(
            [
                ("tenant_id", ASCENDING),
                ("member_id", ASCENDING),
                ("occurred_at", DESCENDING),
                ("_id", DESCENDING),
            ]
        )
        await self._merges.create_index([("tenant_id", ASCENDING), ("survivor_id", ASCENDING)])

    async def record(self, docs: Sequence[Doc], session: Session | None = None) -> None:
        """Insert each entry unless there already (ids are unique per source)."""
        if docs:
            writes = [UpdateOne({"_id": d["_id"]}, {"$setOnInsert": d}, upsert=True) for d in docs]
            await self._entries.bulk_write(writes, ordered=False, session=session)

    async def amend(self, source_id: str, fields: Doc, session: Session | None = None) -> None:
        """Change a gateway-written entry (feedback's status and answer)."""
        await self._entries.update_one({"_id": source_id}, {"$set": fields}, session=session)

    async def merged(self, tenant_id: str, survivor_id: str, merged_id: str) -> None:
        await self._merges.update_one(
            {"_id": entry_id(tenant_id, merged_id)},
            {"$setOnInsert": {"tenant_id": tenant_id, "survivor_id": survivor_id}},
            upsert=True,
        )

    async def erased(self, tenant_id: str, member_id: str) -> None:
        """Forget the text of the member's notes and feedback on the timeline."""
        await self._entries.update_many(
            {"tenant_id": tenant_id, "member_id": member_id, "kind": {"$in": ["note", "feedback"]}},
            {"$set": {"erased": True}, "$unset": {f"details.{name}": "" for name in TEXT_FIELDS}},
        )

    async def members_of(self, tenant_id: str, member_id: str) -> list[str]:
        """The member and every member merged into it, directly or not."""
        found, frontier = [member_id], [member_id]
        for _ in range(MERGE_HOPS):
            cursor = self._merges.find({"tenant_id": tenant_id, "survivor_id": {"$in": frontier}})
            frontier = [doc["_id"].split(":", 1)[1] async for doc in cursor]
            frontier = [m for m in frontier if m not in found]
            if not frontier:
                break
            found += frontier
        return found

    async def page(self, query: TimelineQuery, *, limit: int, cursor: str | None) -> TimelinePage:
        """Newest first, `limit` at a time; `next_cursor` is None on the last page."""
        found = _filter(query, await self.members_of(query.tenant_id, query.member_id))
        if cursor:
            after = decode(cursor)
            if after is None:
                raise BadCursor(cursor)
            found = {"$and": [found, _after(after)]}
        sort = [("occurred_at", DESCENDING), ("_id", DESCENDING)]
        docs = [doc async for doc in self._entries.find(found).sort(sort).limit(limit + 1)]
        entries = docs[:limit]
        if len(docs) <= limit or not entries:
            return TimelinePage(entries)
        last = entries[-1]
        return TimelinePage(entries, encode(Position(last["occurred_at"], last["_id"])))


def _after(position: Position) -> Doc:
    return {
        "$or": [
            {"occurred_at": {"$lt": position.occurred_at}},
            {"occurred_at": position.occurred_at, "_id": {"$lt": position.entry_id}},
        ]
    }


def _filter(query: TimelineQuery, member_ids: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {"tenant_id": query.tenant_id, "member_id": {"$in": member_ids}}
    if query.kinds:
        found["kind"] = {"$in": list(query.kinds)}
    if query.channel:
        found["channel"] = query.channel
    if query.store_id:
        found["store_id"] = query.store_id
    window: dict[str, datetime] = {}
    if query.since is not None:
        window["$gte"] = query.since
    if query.until is not None:
        window["$lt"] = query.until
    if window:
        found["occurred_at"] = window
    if query.only_stores is not None:
        stores = sorted(query.only_stores)
        return {
            "$and": [
                found,
                {"$or": [{"kind": {"$nin": sorted(STORE_KINDS)}}, {"store_id": {"$in": stores}}]},
            ]
        }
    return found
