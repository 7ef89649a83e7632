"""The read model in MongoDB: buckets (a document per tenant, kind and day and per
tenant, kind and month, `adapters/buckets.py`, each written once a flush), members (an
opaque id, tier, merged or erased, purchase days and the last wallet seen), their
profiles in pages and retention's counts, and the tier each order was bought in. A batch
reads each member once and keeps it in memory, changed as the database will change it;
`flush` writes everything the batch changed, one `bulk_write` per collection."""

from __future__ import annotations

from collections.abc import Sequence

import bson
from pymongo import DeleteOne, InsertOne, ReplaceOne, UpdateOne

from libs.errors import TransactionTooLarge
from libs.mongo import Database, Doc, Session
from services.analytics.adapters.buckets import BucketCounts, write_buckets
from services.analytics.adapters.cohort_counts import (
    COHORTS,
    PendingCohorts,
    changed_counts,
    cohort_doc,
    counts_of,
)
from services.analytics.adapters.documents import (
    campaign_fields,
    member_key,
    member_state,
    wallet_fields,
)
from services.analytics.adapters.liability import LIABILITY, LiabilityCounts, liability_writes
from services.analytics.adapters.page_sections import page_sections
from services.analytics.adapters.pages import (
    PAGES,
    PendingPages,
    line_of,
    merged_text,
    page_doc,
    profile_of,
)
from services.analytics.adapters.running import write_running
from services.analytics.adapters.updates import apply_update
from services.analytics.domain import cohorts
from services.analytics.domain.buckets import (
    AddPurchase,
    AddReturn,
    AddReward,
    Enrol,
    Increment,
    MarkErased,
    MarkMerged,
    MemberOp,
    MemberState,
    SetProfiling,
    SetTier,
    SetWallet,
    TakeHistory,
)
from services.analytics.domain.facts import CampaignInfo
from services.analytics.domain.liability import WalletChange
from services.analytics.domain.ports import ReadModel
from services.analytics.domain.profiles import MemberProfile

MEMBERS = "members"
ORDERS = "orders"
CAMPAIGNS = "campaigns"
# A member's orders, gross and returned cents per day: o.<day>, g.<day>, r.<day> (RFM).
SPEND = ("o", "g", "r")
# Writes (and keys read) in one command: a loaded server may take milliseconds a write,
# and a command must answer within the client's socket timeout.
WRITES_A_COMMAND = 500
# Rewritten pages, in bytes, that one transaction may carry (`PAGE_BYTES_A_TRANSACTION`)
# and one command: a transaction's uncommitted writes stay in the database's cache until
# it commits, and SecantusDB with a 256 MB cache was seen to stall (or roll back as a write
# conflict) on batches whose pages came to some 14 MB; a batch past the budget is taken
# in halves (handlers/ingest.py).
PAGE_BYTES_A_TRANSACTION = 8 * 1024 * 1024
PAGE_BYTES_A_COMMAND = 4 * 1024 * 1024

_Write = InsertOne[Doc] | ReplaceOne[Doc] | UpdateOne | DeleteOne


class MongoReadModel(ReadModel):
    """A batch's members as documents in memory: read once (ahead, together, or when
    first needed), changed in memory by each op as the database would change them, and
    written once each with the batch's orders, campaigns and buckets by `flush`, a few
    `bulk_write`s per collection. Written as it is read: the consumer and a rebuild hold
    the read model's writer mark in the same transaction, and the bench's loader writes
    alone."""

    def __init__(
        self,
        db: Database,
        session: Session | None,
        *,
        page_bytes: int = PAGE_BYTES_A_TRANSACTION,
    ) -> None:
        self._db = db
        self._session = session
        self._page_bytes = page_bytes
        self._counts = BucketCounts()
        # This batch's members as they stand, None for one not in the database (yet).
        self._members: dict[str, Doc | None] = {}
        # The tier of each order this batch read or remembered, "" for one not known.
        self._orders: dict[str, str] = {}
        # Members this batch changed: whether each was in the database before, and it.
        self._changed: dict[str, tuple[bool, Doc]] = {}
        self._campaigns: list[_Write] = []
        # What each order this batch remembered is set to, the last time it was.
        self._remembered: dict[str, Doc] = {}
        self._liability = LiabilityCounts()
        # Each changed member's profile before the batch changed it (None: no document).
        self._before: dict[str, MemberProfile | None] = {}
        self._pages = PendingPages()
        self._cohorts = PendingCohorts()

    async def prefetch(self, members: Sequence[tuple[str, str]]) -> None:
        keys = {member_key(t, m) for t, m in members} - self._members.keys()
        if not keys:
            return
        found = self._db[MEMBERS].find({"_id": {"$in": sorted(keys)}}, session=self._session)
        docs = {doc["_id"]: doc async for doc in found}
        self._members.update({key: docs.get(key) for key in keys})

    async def member(self, tenant_id: str, member_id: str) -> MemberState | None:
        doc = await self._member_doc(member_key(tenant_id, member_id))
        return None if doc is None else member_state(doc)

    async def _member_doc(self, key: str) -> Doc | None:
        if key not in self._members:
            self._members[key] = await self._db[MEMBERS].find_one(
                {"_id": key}, session=self._session
            )
        return self._members[key]

    async def order_tier(self, tenant_id: str, order_id: str) -> str:
        key = member_key(tenant_id, order_id)
        if key not in self._orders:
            doc = await self._db[ORDERS].find_one({"_id": key}, session=self._session)
            self._orders[key] = "" if doc is None else str(doc.get("tier", ""))
        return self._orders[key]

    def add(self, tenant_id: str, increments: Sequence[Increment]) -> None:
        self._counts.add(tenant_id, increments)

    def add_wallets(self, tenant_id: str, changes: Sequence[WalletChange]) -> None:
        for change in changes:
            self._liability.add(tenant_id, change)

    async def flush(self, *, buckets: bool = True) -> None:
        """Each member, order and bucket the batch touched, written once: a new one
        inserted whole, one that exists replaced by what the batch made of it (both far
        cheaper for the server than an update); campaigns as they were remembered. The
        next batch reads its members and orders again. The pages of the members whose
        profile changed are rewritten, each once (adapters/pages.py), and retention's
        counts changed (adapters/cohort_counts.py). `buckets=False` keeps the counts (the
        buckets', the liability's and retention's) and the pages' lines for a later
        flush (a bulk load adds many batches to the same buckets and pages)."""
        changed, self._changed = self._changed, {}
        before, self._before = self._before, {}
        for key, (_, doc) in changed.items():
            was, now = before.get(key), profile_of(doc)
            self._pages.note(doc["t"], None if was is None else line_of(was), line_of(now))
            self._cohorts.note(doc["t"], cohorts.change(was, now))
        self._members, self._orders = {}, {}
        members: list[_Write] = [
            ReplaceOne({"_id": key}, doc) if existed else InsertOne(doc)
            for key, (existed, doc) in changed.items()
        ]
        await self._write(MEMBERS, members, ordered=False)
        orders, self._remembered = self._remembered, {}
        there = await self._found(ORDERS, list(orders), {"_id": 1})
        await self._write(
            ORDERS,
            [
                UpdateOne({"_id": key}, {"$set": doc})
                if key in there
                else InsertOne({"_id": key, **doc})
                for key, doc in orders.items()
            ],
            ordered=False,
        )
        campaigns, self._campaigns = self._campaigns, []
        await self._write(CAMPAIGNS, campaigns, ordered=True)
        if not buckets:
            return
        periods = self._counts.take()
        await write_buckets(self._db, self._session, periods)
        await write_running(self._db, self._session, periods)
        liability, made = self._liability.take()
        kept = await self._found(LIABILITY, list(liability))
        await self._write(LIABILITY, liability_writes(liability, made, kept), ordered=False)
        await self._write_pages()
        await self._write_cohorts()

    async def _write_pages(self) -> None:
        """Each page with a changed line read once and written once, whole, its sections
        (adapters/page_sections.py) changed with its lines."""
        pages = self._pages.take()
        stored = await self._found(PAGES, list(pages))
        writes: list[tuple[int, _Write]] = []
        for at, (tenant_id, page, changes) in pages.items():
            was = stored.get(at)
            lines = {key: after for key, (_, after) in changes.items()}
            text = merged_text("" if was is None else str(was["x"]), lines)
            doc = page_doc(at, tenant_id, page, text) | page_sections(was, text, changes)
            write = ReplaceOne({"_id": at}, doc) if at in stored else InsertOne(doc)
            writes.append((len(bson.encode(doc)), write))
        total = sum(size for size, _ in writes)
        # One event changes at most two pages (a merge's two members): a batch of one is
        # always taken, whatever its pages weigh.
        if self._session is not None and total > self._page_bytes and len(writes) > 2:
            raise TransactionTooLarge(f"{len(writes)} pages, {total} bytes, in one batch")
        for chunk in by_bytes(writes, PAGE_BYTES_A_COMMAND):
            await self._write(PAGES, chunk, ordered=False)

    async def _write_cohorts(self) -> None:
        """Each month's document of the retention counts the batch changed, read once and
        written once (removed when no count is left)."""
        changes = self._cohorts.take()
        stored = await self._found(COHORTS, list(changes))
        writes: list[_Write] = []
        for at, (tenant_id, month, change) in changes.items():
            counts = changed_counts(counts_of(stored[at]["x"]) if at in stored else {}, change)
            doc = cohort_doc(at, tenant_id, month, counts)
            if not counts:  # none left (or none made): no document, however it came to be
                writes += [DeleteOne({"_id": at})] if at in stored else []
            else:
                writes.append(ReplaceOne({"_id": at}, doc) if at in stored else InsertOne(doc))
        await self._write(COHORTS, writes, ordered=False)

    async def _found(
        self, name: str, keys: list[str], projection: Doc | None = None
    ) -> dict[str, Doc]:
        """Which of these documents exist, read in one query per command's worth."""
        found: dict[str, Doc] = {}
        for first in range(0, len(keys), WRITES_A_COMMAND):
            query = {"_id": {"$in": keys[first : first + WRITES_A_COMMAND]}}
            docs = self._db[name].find(query, projection, session=self._session)
            found.update({doc["_id"]: doc async for doc in docs})
        return found

    async def _write(self, name: str, writes: Sequence[_Write], *, ordered: bool) -> None:
        """In commands of at most WRITES_A_COMMAND, one after the other: each answers
        well within the client's socket timeout on a loaded server."""
        for first in range(0, len(writes), WRITES_A_COMMAND):
            chunk = writes[first : first + WRITES_A_COMMAND]
            await self._db[name].bulk_write(chunk, ordered=ordered, session=self._session)

    async def remember_order(self, tenant_id: str, order_id: str, tier: str) -> None:
        key = member_key(tenant_id, order_id)
        self._orders[key] = tier
        self._remembered[key] = {"t": tenant_id, "tier": tier}

    async def remember_campaign(self, tenant_id: str, campaign: CampaignInfo) -> None:
        key = member_key(tenant_id, campaign.campaign_id)
        update = {"$set": {"t": tenant_id, **campaign_fields(campaign)}}
        self._campaigns.append(UpdateOne({"_id": key}, update, upsert=True))

    async def change_member(self, tenant_id: str, member_id: str, op: MemberOp) -> None:
        update = await self._update(tenant_id, op)
        if update is None:
            return
        update.setdefault("$setOnInsert", {}).update({"t": tenant_id, "m": member_id})
        key = member_key(tenant_id, member_id)
        doc = await self._member_doc(key)
        if key not in self._changed:
            self._before[key] = None if doc is None else profile_of(doc)
        if doc is None:
            doc = self._members[key] = {"_id": key}
            self._changed.setdefault(key, (False, doc))
            apply_update(doc, update, inserting=True)
        else:
            self._changed.setdefault(key, (True, doc))
            apply_update(doc, update, inserting=False)

    async def _update(self, tenant_id: str, op: MemberOp) -> Doc | None:
        if isinstance(op, TakeHistory):
            doc = await self._member_doc(member_key(tenant_id, op.from_member)) or {}
            taken = {name: list(doc.get(name, [])) for name in ("buys", "rw")}
            added = {name: {"$each": items} for name, items in taken.items() if items}
            update: Doc = {"$addToSet": added} if added else {}
            moved = {
                f"{name}.{day}": n
                for name in SPEND
                for day, n in dict(doc.get(name) or {}).items()
                if n
            }
            if moved:
                update["$inc"] = moved
            return update
        return member_update(op)


def member_update(op: MemberOp) -> Doc | None:
    """The update a member op makes (TakeHistory's depends on the member it takes from)."""
    match op:
        case Enrol():
            since = {"since": op.day, "no_profiling": op.refuses_profiling}
            return {"$set": {"tier": op.tier, "enrolled": True, **since}}
        case SetTier(tier=tier):
            return {"$set": {"tier": tier, "enrolled": True}}
        case AddPurchase():
            bought = {"buys": {"d": op.day, "s": op.store_id, "c": op.channel}}
            return {"$addToSet": bought, "$inc": {f"o.{op.day}": 1, f"g.{op.day}": op.gross}}
        case AddReturn():
            return {"$inc": {f"r.{op.day}": op.amount}}
        case AddReward():
            return {"$addToSet": {"rw": {"c": op.campaign_id, "d": op.day}}}
    changed = _fields_of(op)
    return None if changed is None else {"$set": changed}


def _fields_of(op: MemberOp) -> Doc | None:
    match op:
        case MarkMerged(into=into):
            return {"merged_into": into}
        case MarkErased():
            return {"erased": True}
        case SetProfiling(refuses=refuses):
            return {"no_profiling": refuses}
        case SetWallet(wallet=wallet):
            return wallet_fields(wallet)
    return None


def by_bytes(writes: Sequence[tuple[int, _Write]], most: int) -> list[list[_Write]]:
    """The writes in order, in runs of at most `most` bytes (a larger write alone)."""
    runs: list[list[_Write]] = []
    size = most
    for bytes_, write in writes:
        if size + bytes_ > most:
            runs.append([])
            size = 0
        runs[-1].append(write)
        size += bytes_
    return runs
