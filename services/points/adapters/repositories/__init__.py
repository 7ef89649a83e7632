"""The points service's repositories over its own MongoDB database.

Each command reads the member's wallet (one document: balance, lots, ledger sequence) and
writes it back under a version check, inside the command's transaction, so two commands on
one member never both succeed on a stale read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pymongo import ASCENDING, DESCENDING

from libs.balance_view import BalanceView
from libs.mongo import Database, Doc, Session
from services.points.adapters.documents import ledger as docs
from services.points.adapters.documents import orders as records
from services.points.adapters.documents import wallets as wallet_documents
from services.points.adapters.documents.balance_view import view_of
from services.points.adapters.repositories.collection import Collection
from services.points.adapters.repositories.grants import GRANTS, MongoGrantRepository
from services.points.adapters.repositories.operators import (
    ADJUSTMENTS,
    TRANSFERS,
    MongoAdjustmentRepository,
    MongoTransferRepository,
)
from services.points.adapters.repositories.rates import (
    MongoExchangeRateRepository,
    ensure_rate_indexes,
)
from services.points.adapters.repositories.rules import MongoRuleRepository
from services.points.domain.errors import AlreadySeen, StaleWrite
from services.points.domain.events import DomainEvent
from services.points.domain.ledger import Entry
from services.points.domain.lot_moves import attach_lot_moves
from services.points.domain.pages import Page
from services.points.domain.records import OrderRecord
from services.points.domain.redemptions import Redemption, RedemptionStatus
from services.points.domain.returns import ReturnRecord
from services.points.domain.wallet import Wallet

WALLETS = "wallets"
ENTRIES = "ledger_entries"
ORDERS = "orders"
RETURNS = "returns"
REDEMPTIONS = "redemptions"


async def ensure_indexes(db: Database) -> None:
    await db[ENTRIES].create_index(
        [("tenant_id", ASCENDING), ("member_id", ASCENDING), ("seq", DESCENDING)], unique=True
    )
    await db[REDEMPTIONS].create_index([("status", ASCENDING), ("expires_at", ASCENDING)])
    await db[REDEMPTIONS].create_index(
        [("tenant_id", ASCENDING), ("member_id", ASCENDING), ("created_at", DESCENDING)]
    )
    await db[ORDERS].create_index([("tenant_id", ASCENDING), ("member_id", ASCENDING)])
    await db[RETURNS].create_index([("tenant_id", ASCENDING), ("order_id", ASCENDING)])
    await db[WALLETS].create_index("lots.expires_at")
    await db[WALLETS].create_index("pending_lots.release_at")
    await db[WALLETS].create_index("announce_at", sparse=True)
    await ensure_rate_indexes(db)


def _page_query(tenant_id: str, member_id: str, page: Page, id_field: str) -> Doc:
    """A member's records after the page's position (newest first: older, or as old with a
    smaller id), of its stores if it names any."""
    query: Doc = {"tenant_id": tenant_id, "member_id": member_id}
    if page.store_ids:
        query["store_id"] = {"$in": sorted(page.store_ids)}
    if page.after is not None:
        at, record_id = page.after
        query["$or"] = [
            {"created_at": {"$lt": at}},
            {"created_at": at, id_field: {"$lt": record_id}},
        ]
    return query


class MongoWalletRepository(Collection):
    def __init__(self, db: Database, session: Session | None, name: str) -> None:
        super().__init__(db, session, name)
        # The balances of the wallets this unit of work saved, by member, as last saved.
        self.saved: dict[tuple[str, str], BalanceView] = {}

    async def get(self, tenant_id: str, member_id: str) -> Wallet | None:
        doc = await self._find(docs.member_key(tenant_id, member_id))
        return wallet_documents.wallet_from_doc(doc) if doc else None

    async def save(self, wallet: Wallet) -> None:
        wallet.version += 1
        doc = wallet_documents.wallet_to_doc(wallet)
        if wallet.version == 1:
            try:
                await self._insert(doc, "wallet")
            except AlreadySeen:
                raise StaleWrite("wallet") from None
        else:
            await self._replace(doc, wallet.version - 1, "wallet")
        self.saved[(wallet.tenant_id, wallet.member_id)] = view_of(wallet)

    async def due(self, now: datetime, limit: int) -> list[tuple[str, str]]:
        found: dict[str, tuple[str, str]] = {}
        for field in ("pending_lots.release_at", "lots.expires_at", "announce_at"):
            cursor = self._collection.find({field: {"$lte": now}}, {"tenant_id": 1, "member_id": 1})
            async for row in cursor.limit(limit):
                found.setdefault(row["_id"], (row["tenant_id"], row["member_id"]))
        return list(found.values())[:limit]


class MongoOrderRepository(Collection):
    async def get(self, tenant_id: str, order_id: str) -> OrderRecord | None:
        doc = await self._find(docs.member_key(tenant_id, order_id))
        return records.order_from_doc(doc) if doc else None

    async def add(self, order: OrderRecord) -> None:
        order.version = 1
        await self._insert(records.order_to_doc(order), order.order_id)

    async def save(self, order: OrderRecord) -> None:
        order.version += 1
        await self._replace(records.order_to_doc(order), order.version - 1, "order")

    async def any_of_member(self, tenant_id: str, member_id: str) -> bool:
        query = {"tenant_id": tenant_id, "member_id": member_id}
        found = await self._collection.find_one(query, {"_id": 1}, session=self._session)
        return found is not None

    async def of_member(self, tenant_id: str, member_id: str, page: Page) -> list[OrderRecord]:
        query = _page_query(tenant_id, member_id, page, "order_id")
        cursor = self._collection.find(query, session=self._session)
        ordered = cursor.sort([("created_at", DESCENDING), ("order_id", DESCENDING)])
        rows = await ordered.limit(page.limit + 1).to_list()
        return [records.order_from_doc(row) for row in rows]


class MongoReturnRepository(Collection):
    async def get(self, tenant_id: str, return_id: str) -> ReturnRecord | None:
        doc = await self._find(docs.member_key(tenant_id, return_id))
        return records.return_from_doc(doc) if doc else None

    async def add(self, record: ReturnRecord) -> None:
        await self._insert(records.return_to_doc(record), record.return_id)

    async def of_order(self, tenant_id: str, order_id: str) -> list[ReturnRecord]:
        query = {"tenant_id": tenant_id, "order_id": order_id}
        cursor = self._collection.find(query, session=self._session)
        rows = await cursor.sort("created_at", ASCENDING).to_list()
        return [records.return_from_doc(row) for row in rows]


class MongoEntryRepository(Collection):
    async def add(self, wallet: Wallet, entries: Sequence[Entry]) -> None:
        if entries:
            named = attach_lot_moves(wallet, entries)
            await self._collection.insert_many(
                [docs.entry_to_doc(wallet, e) for e in named], session=self._session
            )

    async def page(
        self, tenant_id: str, member_id: str, limit: int, before_seq: int | None
    ) -> list[Entry]:
        query: Doc = {"tenant_id": tenant_id, "member_id": member_id}
        if before_seq is not None:
            query["seq"] = {"$lt": before_seq}
        cursor = self._collection.find(query, session=self._session)
        rows = await cursor.sort("seq", DESCENDING).limit(limit).to_list()
        return [docs.entry_from_doc(row) for row in rows]


class MongoRedemptionRepository(Collection):
    async def get(self, tenant_id: str, redemption_id: str) -> Redemption | None:
        doc = await self._find(docs.member_key(tenant_id, redemption_id))
        return records.redemption_from_doc(doc) if doc else None

    async def add(self, redemption: Redemption) -> None:
        redemption.version = 1
        await self._insert(records.redemption_to_doc(redemption), redemption.redemption_id)

    async def save(self, redemption: Redemption) -> None:
        redemption.version += 1
        doc = records.redemption_to_doc(redemption)
        await self._replace(doc, redemption.version - 1, "redemption")

    async def due(self, now: datetime, limit: int) -> list[tuple[str, str]]:
        query = {"status": RedemptionStatus.HELD.value, "expires_at": {"$lte": now}}
        cursor = self._collection.find(query, {"tenant_id": 1, "redemption_id": 1})
        rows = await cursor.sort("expires_at", ASCENDING).limit(limit).to_list()
        return [(row["tenant_id"], row["redemption_id"]) for row in rows]

    async def of_member(self, tenant_id: str, member_id: str, page: Page) -> list[Redemption]:
        query = _page_query(tenant_id, member_id, page, "redemption_id")
        cursor = self._collection.find(query, session=self._session)
        ordered = cursor.sort([("created_at", DESCENDING), ("redemption_id", DESCENDING)])
        rows = await ordered.limit(page.limit + 1).to_list()
        return [records.redemption_from_doc(row) for row in rows]

    async def expiring(self, tenant_id: str, until: datetime, limit: int) -> list[Redemption]:
        query = {
            "tenant_id": tenant_id,
            "status": RedemptionStatus.HELD.value,
            "expires_at": {"$lte": until},
        }
        cursor = self._collection.find(query, session=self._session)
        rows = await cursor.sort("expires_at", ASCENDING).limit(limit).to_list()
        return [records.redemption_from_doc(row) for row in rows]


class MongoRepositories:
    def __init__(self, db: Database, session: Session | None) -> None:
        self.rules = MongoRuleRepository(db, session)
        self.rates = MongoExchangeRateRepository(db, session)
        self.wallets = MongoWalletRepository(db, session, WALLETS)
        self.orders = MongoOrderRepository(db, session, ORDERS)
        self.returns = MongoReturnRepository(db, session, RETURNS)
        self.adjustments = MongoAdjustmentRepository(db, session, ADJUSTMENTS)
        self.transfers = MongoTransferRepository(db, session, TRANSFERS)
        self.grants = MongoGrantRepository(db, session, GRANTS)
        self.entries = MongoEntryRepository(db, session, ENTRIES)
        self.redemptions = MongoRedemptionRepository(db, session, REDEMPTIONS)
        self.events: list[DomainEvent] = []

    def record(self, event: DomainEvent) -> None:
        self.events.append(event)
