"""The purchases and member facts the campaign service keeps, as MongoDB documents.

- purchases: one per order (`tenant:order`), money in integer minor units so aggregations
  sum exactly; a return raises `returned_cents`. It names the `points.earned` that told
  it (`event_id`) and is that event's record for the consumer: no inbox row.
- member_facts: one per member (`tenant:member`): tier, where they enrolled, consents,
  first and last purchase, orders and spend. An erased member leaves a tombstone
  (`erased: true`) so a late event cannot bring the facts back. `reached` lists the
  campaigns that granted the member something (members_reached.py), `reached_on` the
  local day of the first order each of them granted (`reached_on.<campaign>`, for the
  daily results); a merge hands them to the survivor (the earlier day) and erasure keeps
  them, as it keeps the amounts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pymongo import ASCENDING, DESCENDING

from libs.inbox import claim_event
from libs.mongo import Database, Doc, Session
from services.campaign.campaigns.domain.history import MemberFacts, OrderRecord, RecordedLine

PURCHASES = "purchases"


class Recorded(StrEnum):
    NEW = "new"
    KNOWN = "known"
    ERASED = "erased"


FACTS = "member_facts"
REACHED = "reached"
REACHED_ON = "reached_on"
# When the member's tier last changed: a `member.tier_changed` is applied only if newer.
TIER_CHANGED_AT = "tier_changed_at"
# Written by the segments adapter; an erased member leaves every segment at once.
SEGMENT_MEMBERS = "segment_members"


async def ensure_history_indexes(db: Database) -> None:
    await db[PURCHASES].create_index([("tenant_id", ASCENDING), ("occurred_at", ASCENDING)])
    await db[PURCHASES].create_index(
        [("tenant_id", ASCENDING), ("member_id", ASCENDING), ("occurred_at", DESCENDING)]
    )
    await db[FACTS].create_index(
        [("tenant_id", ASCENDING), ("erased", ASCENDING), ("last_purchase_at", ASCENDING)]
    )


def _key(tenant_id: str, other_id: str) -> str:
    return f"{tenant_id}:{other_id}"


def order_doc(o: OrderRecord, first_purchase: bool) -> Doc:
    return {
        "_id": _key(o.tenant_id, o.order_id),
        "tenant_id": o.tenant_id,
        "order_id": o.order_id,
        "member_id": o.member_id,
        "occurred_at": o.occurred_at,
        "channel": o.channel,
        "store_id": o.store_id,
        "currency": o.currency,
        "total_cents": o.total_cents,
        "returned_cents": o.returned_cents,
        "points": o.points,
        "tier_code": o.tier_code,
        "enrolled_at": o.enrolled_at,
        "first_purchase": first_purchase,
        "lines": [
            {
                "sku": line.sku,
                "category": line.category,
                "quantity": line.quantity,
                "amount": str(line.amount),
                "base_points": line.base_points,
            }
            for line in o.lines
        ],
    }


def order_from(doc: Doc) -> OrderRecord:
    return OrderRecord(
        tenant_id=doc["tenant_id"],
        order_id=doc["order_id"],
        member_id=doc["member_id"],
        occurred_at=doc["occurred_at"],
        channel=doc.get("channel", ""),
        store_id=doc.get("store_id", ""),
        currency=doc.get("currency", ""),
        total_cents=int(doc.get("total_cents", 0)),
        points=int(doc.get("points", 0)),
        lines=tuple(
            RecordedLine(
                line["sku"],
                line["category"],
                int(line["quantity"]),
                Decimal(line["amount"]),
                int(line["base_points"]),
            )
            for line in doc.get("lines") or ()
        ),
        tier_code=doc.get("tier_code", ""),
        enrolled_at=doc.get("enrolled_at"),
        returned_cents=int(doc.get("returned_cents", 0)),
        first_purchase=bool(doc.get("first_purchase")),
    )


def facts_from(doc: Doc) -> MemberFacts:
    return MemberFacts(
        tenant_id=doc["tenant_id"],
        member_id=doc["member_id"],
        tier_code=doc.get("tier_code", ""),
        channel=doc.get("channel", ""),
        store_id=doc.get("store_id", ""),
        enrolled_at=doc.get("enrolled_at"),
        consents=dict(doc.get("consents") or {}),
        first_purchase_at=doc.get("first_purchase_at"),
        last_purchase_at=doc.get("last_purchase_at"),
        orders=int(doc.get("orders", 0)),
        spend_cents=int(doc.get("spend_cents", 0)),
    )


def reached_days(campaign_ids: Iterable[str], day: str) -> Doc:
    """The `$min` that keeps, per campaign, the earliest day it reached the member."""
    return {f"{REACHED_ON}.{c}": day for c in campaign_ids} if day else {}


class HistoryWriter:
    """Writes within the consumer's transaction (the session also claims the event)."""

    def __init__(self, db: Database, session: Session | None) -> None:
        self._db = db
        self._session = session

    def _facts_update(self, tenant_id: str, member_id: str) -> tuple[Doc, Doc]:
        key = {"_id": _key(tenant_id, member_id)}
        return key, {"tenant_id": tenant_id, "member_id": member_id}

    async def _erased(self, tenant_id: str, member_id: str) -> bool:
        doc = await self._db[FACTS].find_one(
            {"_id": _key(tenant_id, member_id)}, {"erased": 1}, session=self._session
        )
        return bool(doc and doc.get("erased"))

    async def facts(self, tenant_id: str, member_id: str) -> MemberFacts | None:
        doc = await self._db[FACTS].find_one(
            {"_id": _key(tenant_id, member_id), "erased": {"$ne": True}}, session=self._session
        )
        return None if doc is None else facts_from(doc)

    async def record_order(self, order: OrderRecord) -> bool:
        """False when the order was already recorded (or its member erased)."""
        return await self.record_earned(order) is Recorded.NEW

    async def record_earned(
        self,
        order: OrderRecord,
        event_id: str = "",
        reached: Sequence[str] = (),
        day: str = "",
    ) -> Recorded:
        """Record the order, noting the event that told it (the order's own document is
        that event's record: an order is earned once), and the campaigns whose bonus it
        was credited with as having reached the member on `day` (the order's local date),
        in the facts' one write."""
        purchases = self._db[PURCHASES]
        if await purchases.find_one(
            {"_id": _key(order.tenant_id, order.order_id)}, {"_id": 1}, session=self._session
        ):
            return Recorded.KNOWN
        add_reached: Doc = {REACHED: {"$each": sorted(set(reached))}}
        first_reached = reached_days(reached, day)
        # One read of the member's facts tells both whether they were erased and whether
        # this is their first order.
        held = await self._db[FACTS].find_one(
            {"_id": _key(order.tenant_id, order.member_id)}, session=self._session
        )
        if held is not None and held.get("erased"):
            if reached:  # the tombstone keeps them, as erasure does
                key, _ = self._facts_update(order.tenant_id, order.member_id)
                kept: Doc = {"$addToSet": add_reached}
                if first_reached:
                    kept["$min"] = first_reached
                await self._db[FACTS].update_one(key, kept, session=self._session)
            return Recorded.ERASED
        first = held is None or facts_from(held).orders == 0
        doc = order_doc(order, first)
        if event_id:
            doc["event_id"] = event_id
        await purchases.insert_one(doc, session=self._session)
        key, init = self._facts_update(order.tenant_id, order.member_id)
        on_insert: Doc = {**init, "tier_code": order.tier_code, "enrolled_at": order.enrolled_at}
        update: dict[str, Any] = {
            "$inc": {"orders": 1, "spend_cents": order.spend_cents},
            "$min": {"first_purchase_at": order.occurred_at, **first_reached},
            "$max": {"last_purchase_at": order.occurred_at},
            "$setOnInsert": on_insert,
        }
        if reached:
            update["$addToSet"] = add_reached
        await self._db[FACTS].update_one(key, update, upsert=True, session=self._session)
        return Recorded.NEW

    async def claim(self, consumer: str, event_id: str) -> bool:
        """An inbox row for an event whose effect writes no document of its own."""
        if self._session is None:
            raise RuntimeError("an event is claimed inside a transaction")
        return await claim_event(self._db, self._session, consumer, event_id)

    async def order(self, tenant_id: str, order_id: str) -> OrderRecord | None:
        doc = await self._db[PURCHASES].find_one(
            {"_id": _key(tenant_id, order_id)}, session=self._session
        )
        return None if doc is None else order_from(doc)

    async def record_return(self, order: OrderRecord, cents: int) -> None:
        await self._db[PURCHASES].update_one(
            {"_id": _key(order.tenant_id, order.order_id)},
            {"$inc": {"returned_cents": cents}},
            session=self._session,
        )
        await self._db[FACTS].update_one(
            {"_id": _key(order.tenant_id, order.member_id), "erased": {"$ne": True}},
            {"$inc": {"spend_cents": -cents}},
            session=self._session,
        )

    async def enrolled(self, facts: MemberFacts) -> None:
        if await self._erased(facts.tenant_id, facts.member_id):
            return
        key, init = self._facts_update(facts.tenant_id, facts.member_id)
        fields = {
            "channel": facts.channel,
            "store_id": facts.store_id,
            "consents": facts.consents,
            "enrolled_at": facts.enrolled_at,
        }
        update = {"$set": fields, "$setOnInsert": {**init, "tier_code": facts.tier_code}}
        await self._db[FACTS].update_one(key, update, upsert=True, session=self._session)

    async def tier_changed(
        self, tenant_id: str, member_id: str, tier_code: str, at: datetime | None = None
    ) -> None:
        """The member's tier as of `at` (when it changed): a change older than the one
        the facts hold (a redelivery) changes nothing, so the change needs no inbox row."""
        key, init = self._facts_update(tenant_id, member_id)
        held = await self._db[FACTS].find_one(
            key, {"erased": 1, TIER_CHANGED_AT: 1}, session=self._session
        )
        if held is not None and held.get("erased"):
            return
        since = (held or {}).get(TIER_CHANGED_AT)
        if at is not None and since is not None and since > at:
            return
        fields: Doc = {"tier_code": tier_code}
        if at is not None:
            fields[TIER_CHANGED_AT] = at
        update = {"$set": fields, "$setOnInsert": init}
        await self._db[FACTS].update_one(key, update, upsert=True, session=self._session)

    async def consents_changed(
        self, tenant_id: str, member_id: str, consents: dict[str, bool]
    ) -> None:
        """The member's consents as they now stand (a withdrawn one is honoured at once)."""
        if await self._erased(tenant_id, member_id):
            return
        key, init = self._facts_update(tenant_id, member_id)
        update = {"$set": {"consents": consents}, "$setOnInsert": init}
        await self._db[FACTS].update_one(key, update, upsert=True, session=self._session)

    async def merged(self, tenant_id: str, survivor_id: str, merged_id: str) -> None:
        """The merged member's purchases and facts become the survivor's."""
        await self._db[PURCHASES].update_many(
            {"tenant_id": tenant_id, "member_id": merged_id},
            {"$set": {"member_id": survivor_id}},
            session=self._session,
        )
        merged_key = {"_id": _key(tenant_id, merged_id)}
        gone_doc = await self._db[FACTS].find_one(merged_key, session=self._session)
        if gone_doc is None:
            return
        await self._db[FACTS].delete_one(merged_key, session=self._session)
        reached = list(gone_doc.get(REACHED) or ())
        gone = None if gone_doc.get("erased") else facts_from(gone_doc)
        key, init = self._facts_update(tenant_id, survivor_id)
        update: dict[str, Any] = {"$setOnInsert": init}
        earliest: Doc = {
            f"{REACHED_ON}.{c}": d for c, d in (gone_doc.get(REACHED_ON) or {}).items()
        }
        if reached:
            update["$addToSet"] = {REACHED: {"$each": reached}}
        if earliest:
            update["$min"] = earliest
        if gone is not None and gone.orders:
            update["$inc"] = {"orders": gone.orders, "spend_cents": gone.spend_cents}
            if gone.first_purchase_at is not None:
                update["$min"] = {**earliest, "first_purchase_at": gone.first_purchase_at}
            if gone.last_purchase_at is not None:
                update["$max"] = {"last_purchase_at": gone.last_purchase_at}
        elif not reached:
            return
        await self._db[FACTS].update_one(key, update, upsert=True, session=self._session)

    async def erased(self, tenant_id: str, member_id: str, at: datetime) -> None:
        """Drop the copies: facts become a tombstone, purchases lose what was bought (the
        amounts stay, as aggregates do), and the member leaves every segment."""
        key = {"_id": _key(tenant_id, member_id)}
        kept = (
            await self._db[FACTS].find_one(key, {REACHED: 1, REACHED_ON: 1}, session=self._session)
            or {}
        )
        tombstone = {"tenant_id": tenant_id, "member_id": member_id, "erased": True, "at": at}
        for field in (REACHED, REACHED_ON):
            if kept.get(field):
                tombstone[field] = kept[field]
        await self._db[FACTS].replace_one(key, tombstone, upsert=True, session=self._session)
        await self._db[PURCHASES].update_many(
            {"tenant_id": tenant_id, "member_id": member_id},
            {"$set": {"lines": []}},
            session=self._session,
        )
        await self._db[SEGMENT_MEMBERS].delete_many(
            {"tenant_id": tenant_id, "member_id": member_id}, session=self._session
        )
