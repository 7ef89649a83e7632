"""Members' feedback in the gateway's database (`member_feedback`), each also an entry of
the member's timeline written in the same transaction.

Ids are time-ordered (libs.ids), so newest first is `_id` descending and a page's cursor
is its last id. Erasure removes a member's comments and the answers to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from gateway.contact.feedback.rules import CLOSED, status_after
from gateway.contact.timeline.recorder import entry_doc
from gateway.contact.timeline.store import TimelineStore, entry_id
from gateway.edge.audit.store import decode_cursor, encode_cursor
from libs.clock import utc_now
from libs.mongo import Doc, MongoClient, Session, run_in_transaction

TIMELINE_FIELDS = ("kind", "rating", "category", "comment", "status", "answer")


@dataclass(frozen=True)
class InboxQuery:
    tenant_id: str
    status: str | None = None
    store_id: str | None = None
    # A store manager's stores: feedback elsewhere (or of no store) is left out.
    only_stores: frozenset[str] | None = None


def _timeline_details(doc: Doc) -> Doc:
    details = {name: doc[name] for name in TIMELINE_FIELDS if doc.get(name) is not None}
    details["feedback_kind"] = details.pop("kind")
    return details | {"feedback_id": doc["_id"]}


class FeedbackStore:
    def __init__(
        self, client: MongoClient, feedback: AsyncCollection[Doc], timeline: TimelineStore
    ) -> None:
        self._client = client
        self._feedback = feedback
        self._timeline = timeline

    async def ensure_indexes(self) -> None:
        await self._feedback.create_index([("tenant_id", ASCENDING), ("_id", DESCENDING)])
        await self._feedback.create_index(
            [("tenant_id", ASCENDING), ("member_id", ASCENDING), ("_id", DESCENDING)]
        )
        await self._feedback.create_index(
            [("tenant_id", ASCENDING), ("store_id", ASCENDING), ("_id", DESCENDING)]
        )

    async def create(self, doc: Doc) -> None:
        """The feedback and its timeline entry, together or not at all."""
        entry = entry_doc(
            doc["tenant_id"],
            f"feedback:{doc['_id']}",
            doc["created_at"],
            member_id=doc["member_id"],
            kind="feedback",
            channel=doc["channel"],
            store_id=doc.get("store_id") or "",
            details=_timeline_details(doc),
        )

        async def work(session: Session) -> None:
            await self._feedback.insert_one(doc, session=session)
            await self._timeline.record([entry], session=session)

        await run_in_transaction(self._client, work)

    async def get(self, tenant_id: str, feedback_id: str) -> Doc | None:
        return await self._feedback.find_one({"_id": feedback_id, "tenant_id": tenant_id})

    async def of_members(self, tenant_id: str, member_ids: Sequence[str], limit: int) -> list[Doc]:
        found = {"tenant_id": tenant_id, "member_id": {"$in": list(member_ids)}}
        return [d async for d in self._feedback.find(found).sort("_id", DESCENDING).limit(limit)]

    async def inbox(
        self, query: InboxQuery, *, limit: int, cursor: str | None
    ) -> tuple[list[Doc], str | None]:
        found: dict[str, Any] = {"tenant_id": query.tenant_id}
        if query.status:
            found["status"] = query.status
        if query.store_id:
            found["store_id"] = query.store_id
        if query.only_stores is not None:
            found = {"$and": [found, {"store_id": {"$in": sorted(query.only_stores)}}]}
        if cursor:
            found = {"$and": [found, {"_id": {"$lt": decode_cursor(cursor) or ""}}]}
        docs = [
            d async for d in self._feedback.find(found).sort("_id", DESCENDING).limit(limit + 1)
        ]
        page = docs[:limit]
        more = len(docs) > limit and page
        return page, encode_cursor(page[-1]["_id"]) if more else None

    async def act(self, current: Doc, action: str, changes: Doc, at: datetime) -> Doc | None:
        """Apply an action to the feedback as it was read; None when it changed meanwhile
        (the caller reads it again). Raises FeedbackClosed for closed feedback."""
        status = status_after(current["status"], action)
        fields = changes | {"status": status, "updated_at": at}
        if status == CLOSED:
            fields["closed_at"] = at
        timeline = {
            f"details.{name}": value for name, value in fields.items() if name in TIMELINE_FIELDS
        }

        async def work(session: Session) -> Doc | None:
            updated = await self._feedback.find_one_and_update(
                {
                    "_id": current["_id"],
                    "tenant_id": current["tenant_id"],
                    "status": current["status"],
                    "updated_at": current["updated_at"],
                },
                {"$set": fields},
                return_document=ReturnDocument.AFTER,
                session=session,
            )
            if updated is not None and timeline:
                await self._timeline.amend(
                    entry_id(current["tenant_id"], f"feedback:{current['_id']}"), timeline, session
                )
            return updated

        return await run_in_transaction(self._client, work)

    async def erased(self, tenant_id: str, member_id: str) -> None:
        """Forget what the member wrote and what support answered them."""
        await self._feedback.update_many(
            {"tenant_id": tenant_id, "member_id": member_id},
            {
                "$set": {"erased": True, "updated_at": utc_now()},
                "$unset": {"comment": "", "answer": ""},
            },
        )
