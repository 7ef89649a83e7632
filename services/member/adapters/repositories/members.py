"""Members over MongoDB: documents, their data keys, and the identity index."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bson import Binary
from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

from libs.clock import utc_now
from libs.mongo import Database, Doc, Session
from services.member.adapters.crypto import Vault, member_aad
from services.member.adapters.documents.members import (
    BIRTHDAY_MONTH_DAY,
    DataKey,
    member_from_doc,
    member_to_doc,
    tier_from_doc,
    tier_to_doc,
)
from services.member.domain.birthdays import BirthdayQuery
from services.member.domain.errors import IdentityTaken
from services.member.domain.identities import Identity
from services.member.domain.members import Member, MemberStatus
from services.member.domain.search import MemberPage, MemberQuery
from services.member.domain.tier_book import TierHolder
from services.member.domain.tiers import TierState
from services.member.domain.wallet_holder import WalletHolder, birth_month_of

MEMBERS = "members"
# One document per wrapped data key; deleting it is what erasure means.
DATA_KEYS = "data_keys"
# One document per identity, keyed by tenant, type and keyed hash of the value: the
# primary key makes an identity belong to at most one member per tenant.
IDENTITIES = "identities"
# The fields a wallet holder is read from: none of them sealed.
WALLET_HOLDER_FIELDS = (
    "status",
    "tier",
    "enrolled_at",
    "enrolled_store_id",
    "merged_into",
    BIRTHDAY_MONTH_DAY,
)


class MongoMemberRepository:
    def __init__(self, db: Database, session: Session | None, vault: Vault) -> None:
        self._db = db
        self._session = session
        self._vault = vault
        self._keys: dict[str, DataKey] = {}

    def _identity_id(self, tenant_id: str, identity: Identity) -> str:
        kind = identity.type.value
        return f"{tenant_id}:{kind}:{self._vault.index(tenant_id, kind, identity.value)}"

    async def _load_keys(self, docs: list[Doc]) -> None:
        wanted = [
            d["_id"] for d in docs if d.get("sealed") is not None and d["_id"] not in self._keys
        ]
        if not wanted:
            return
        cursor = self._db[DATA_KEYS].find({"_id": {"$in": wanted}}, session=self._session)
        tenants = {d["_id"]: d["tenant_id"] for d in docs}
        async for row in cursor:
            tenant_id, member_id = tenants[row["_id"]], row["_id"]
            if row["tenant_id"] != tenant_id:
                continue
            key = self._vault.unwrap(bytes(row["wrapped"]), member_aad(tenant_id, member_id))
            self._keys[member_id] = DataKey(tenant_id, member_id, key)
        missing = [m for m in wanted if m not in self._keys]
        if missing:
            raise RuntimeError(f"sealed members without a data key: {missing}")

    async def _members(self, docs: list[Doc]) -> list[Member]:
        await self._load_keys(docs)
        return [member_from_doc(d, self._keys.get(d["_id"]), self._vault) for d in docs]

    async def get(self, tenant_id: str, member_id: str) -> Member | None:
        doc = await self._db[MEMBERS].find_one(
            {"_id": member_id, "tenant_id": tenant_id}, session=self._session
        )
        return (await self._members([doc]))[0] if doc else None

    async def holders(self, tenant_id: str, identities: list[Identity]) -> dict[Identity, str]:
        keys = {self._identity_id(tenant_id, i): i for i in identities}
        cursor = self._db[IDENTITIES].find({"_id": {"$in": list(keys)}}, session=self._session)
        return {keys[doc["_id"]]: doc["member_id"] async for doc in cursor}

    async def add(self, member: Member) -> None:
        key = DataKey(member.tenant_id, member.member_id, self._vault.new_data_key())
        self._keys[member.member_id] = key
        row: Doc = {
            "_id": member.member_id,
            "tenant_id": member.tenant_id,
            "wrapped": Binary(self._vault.wrap(key.key, key.aad)),
            "master_key_id": self._vault.key_id,
            "created_at": utc_now(),
        }
        await self._db[DATA_KEYS].insert_one(row, session=self._session)
        await self._claim(member)
        doc = member_to_doc(member, key, self._vault)
        await self._db[MEMBERS].insert_one(doc, session=self._session)

    async def save(self, member: Member) -> None:
        await self._release(member)
        await self._claim(member)
        key = None
        if member.status is MemberStatus.ERASED:
            await self._db[DATA_KEYS].delete_one({"_id": member.member_id}, session=self._session)
            self._keys.pop(member.member_id, None)
        else:
            key = self._keys.get(member.member_id)
            if key is None:
                raise RuntimeError("save() of a member this unit of work did not read")
        doc = member_to_doc(member, key, self._vault)
        await self._db[MEMBERS].replace_one({"_id": member.member_id}, doc, session=self._session)

    async def _claim(self, member: Member) -> None:
        now = utc_now()
        for identity in member.new_identities:
            row: Doc = {
                "_id": self._identity_id(member.tenant_id, identity),
                "tenant_id": member.tenant_id,
                "type": identity.type.value,
                "member_id": member.member_id,
                "linked_at": now,
            }
            try:
                await self._db[IDENTITIES].insert_one(row, session=self._session)
            except DuplicateKeyError:
                raise IdentityTaken(identity) from None
        member.new_identities.clear()

    async def _release(self, member: Member) -> None:
        for identity in member.released_identities:
            await self._db[IDENTITIES].delete_one(
                {
                    "_id": self._identity_id(member.tenant_id, identity),
                    "member_id": member.member_id,
                },
                session=self._session,
            )
        member.released_identities.clear()

    async def search(self, tenant_id: str, query: MemberQuery) -> MemberPage:
        docs = await (
            self._db[MEMBERS]
            .find(search_filter(tenant_id, query), session=self._session)
            .sort("_id", DESCENDING)
            .limit(query.limit + 1)
            .to_list()
        )
        members = await self._members(docs[: query.limit])
        more = len(docs) > query.limit
        return MemberPage(members, members[-1].member_id if more else "")

    async def with_expired_manual_tier(self, now: datetime, limit: int) -> list[tuple[str, str]]:
        cursor = (
            self._db[MEMBERS]
            .find({"tier.manual.until": {"$lte": now}}, {"tenant_id": 1}, session=self._session)
            .limit(limit)
        )
        return [(doc["tenant_id"], doc["_id"]) async for doc in cursor]

    async def with_period_ended(self, tenant_id: str, before: datetime, limit: int) -> list[str]:
        query = {
            "tenant_id": tenant_id,
            "status": MemberStatus.ACTIVE.value,
            "tier.manual": None,
            "tier.period_ends_at": {"$lte": before},
        }
        cursor = self._db[MEMBERS].find(query, {"_id": 1}, session=self._session).limit(limit)
        return [doc["_id"] async for doc in cursor]

    async def tier_holder(self, tenant_id: str, member_id: str) -> TierHolder | None:
        return (await self.tier_holders(tenant_id, [member_id])).get(member_id)

    async def tier_holders(self, tenant_id: str, member_ids: list[str]) -> dict[str, TierHolder]:
        query: Doc = {"_id": member_ids[0] if len(member_ids) == 1 else {"$in": member_ids}}
        cursor = self._db[MEMBERS].find(
            {**query, "tenant_id": tenant_id},
            {"status": 1, "tier": 1, "merged_into": 1},
            session=self._session,
        )
        return {doc["_id"]: _tier_holder(tenant_id, doc) async for doc in cursor}

    async def wallet_holder(self, tenant_id: str, member_id: str) -> WalletHolder | None:
        doc = await self._db[MEMBERS].find_one(
            {"_id": member_id, "tenant_id": tenant_id},
            dict.fromkeys(WALLET_HOLDER_FIELDS, 1),
            session=self._session,
        )
        if doc is None:
            return None
        return WalletHolder(
            tenant_id=tenant_id,
            member_id=member_id,
            status=MemberStatus(doc["status"]),
            tier=tier_from_doc(doc.get("tier")),
            enrolled_at=doc["enrolled_at"],
            enrolled_store_id=doc.get("enrolled_store_id") or "",
            merged_into=doc.get("merged_into") or "",
            birth_month=birth_month_of(doc.get(BIRTHDAY_MONTH_DAY)),
        )

    async def save_tier(self, holder: TierHolder, tier: TierState) -> None:
        await self._db[MEMBERS].update_one(
            {"_id": holder.member_id, "tenant_id": holder.tenant_id},
            {"$set": {"tier": tier_to_doc(tier)}, "$inc": {"version": 1}},
            session=self._session,
        )

    async def merged_into(self, tenant_id: str, member_id: str) -> list[str]:
        cursor = self._db[MEMBERS].find(
            {"tenant_id": tenant_id, "merged_into": member_id}, {"_id": 1}, session=self._session
        )
        return [doc["_id"] async for doc in cursor]

    async def merged_into_each(self, tenant_id: str, member_ids: list[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        cursor = self._db[MEMBERS].find(
            {"tenant_id": tenant_id, "merged_into": {"$in": member_ids}},
            {"merged_into": 1},
            session=self._session,
        )
        async for doc in cursor:
            found.setdefault(doc["merged_into"], []).append(doc["_id"])
        return found

    async def born_on(self, tenant_id: str, query: BirthdayQuery) -> tuple[list[str], str]:
        found: Doc = {
            "tenant_id": tenant_id,
            BIRTHDAY_MONTH_DAY: query.month_day,
            "status": MemberStatus.ACTIVE.value,
        }
        if query.consented_to:
            found[f"consents.{query.consented_to}.granted"] = True
        if query.cursor:
            found["_id"] = {"$gt": query.cursor}
        docs = await (
            self._db[MEMBERS]
            .find(found, {"_id": 1}, session=self._session)
            .sort("_id", ASCENDING)
            .limit(query.limit + 1)
            .to_list()
        )
        ids = [doc["_id"] for doc in docs[: query.limit]]
        return ids, ids[-1] if len(docs) > query.limit else ""


def _tier_holder(tenant_id: str, doc: Doc) -> TierHolder:
    status, tier = MemberStatus(doc["status"]), tier_from_doc(doc.get("tier"))
    return TierHolder(tenant_id, doc["_id"], status, tier, doc.get("merged_into") or "")


def search_filter(tenant_id: str, query: MemberQuery) -> Doc:
    found: dict[str, Any] = {"tenant_id": tenant_id}
    if query.tier:
        found["tier.code"] = query.tier
    if query.channel:
        found["enrolled_channel"] = query.channel
    if query.preferred_store_id:
        found["preferred_store_id"] = query.preferred_store_id
    if query.status:
        found["status"] = query.status
    if query.consented_to:
        found[f"consents.{query.consented_to}.granted"] = True
    enrolled: dict[str, datetime] = {}
    if query.enrolled_from:
        enrolled["$gte"] = query.enrolled_from
    if query.enrolled_to:
        enrolled["$lt"] = query.enrolled_to
    if enrolled:
        found["enrolled_at"] = enrolled
    if query.cursor:
        found["_id"] = {"$lt": query.cursor}
    return found
