"""The member service's repositories over its own MongoDB database."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from libs.mongo import Database, Doc, Session
from services.member.adapters.documents import (
    identity_key,
    member_from_doc,
    member_to_doc,
    program_from_doc,
    program_to_doc,
)
from services.member.domain.errors import IdentityTaken
from services.member.domain.identities import Identity
from services.member.domain.members import Member, MemberEnrolled
from services.member.domain.tenants import TenantSettings
from services.member.domain.tiers import TierProgram

MEMBERS = "members"
# One document per identity, keyed by tenant, type and normalised value: the primary
# key makes an identity belong to at most one member per tenant.
IDENTITIES = "identities"
TENANT_SETTINGS = "tenant_settings"
TIER_PROGRAMS = "tier_programs"


async def ensure_indexes(db: Database) -> None:
    await db[MEMBERS].create_index([("tenant_id", ASCENDING), ("enrolled_at", ASCENDING)])
    await db[IDENTITIES].create_index([("tenant_id", ASCENDING), ("member_id", ASCENDING)])


class MongoMemberRepository:
    def __init__(self, db: Database, session: Session | None) -> None:
        self._db = db
        self._session = session

    async def get(self, tenant_id: str, member_id: str) -> Member | None:
        doc = await self._db[MEMBERS].find_one(
            {"_id": member_id, "tenant_id": tenant_id}, session=self._session
        )
        return member_from_doc(doc) if doc else None

    async def holders(self, tenant_id: str, identities: list[Identity]) -> dict[Identity, str]:
        keys = {identity_key(tenant_id, i): i for i in identities}
        cursor = self._db[IDENTITIES].find({"_id": {"$in": list(keys)}}, session=self._session)
        return {keys[doc["_id"]]: doc["member_id"] async for doc in cursor}

    async def add(self, member: Member) -> None:
        await self._claim(member)
        await self._db[MEMBERS].insert_one(member_to_doc(member), session=self._session)

    async def save(self, member: Member) -> None:
        await self._claim(member)
        doc = member_to_doc(member)
        await self._db[MEMBERS].replace_one({"_id": member.member_id}, doc, session=self._session)

    async def _claim(self, member: Member) -> None:
        now = datetime.now(UTC)
        for identity in member.new_identities:
            row: Doc = {
                "_id": identity_key(member.tenant_id, identity),
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


class MongoTenantRepository:
    def __init__(self, db: Database, session: Session | None) -> None:
        self._db = db
        self._session = session

    async def get_settings(self, tenant_id: str) -> TenantSettings | None:
        doc = await self._db[TENANT_SETTINGS].find_one({"_id": tenant_id}, session=self._session)
        return TenantSettings(doc["default_region"], doc["time_zone"]) if doc else None

    async def put_settings(self, tenant_id: str, settings: TenantSettings) -> None:
        await self._db[TENANT_SETTINGS].replace_one(
            {"_id": tenant_id},
            {"default_region": settings.default_region, "time_zone": settings.time_zone},
            upsert=True,
            session=self._session,
        )

    async def get_program(self, tenant_id: str) -> TierProgram | None:
        doc = await self._db[TIER_PROGRAMS].find_one({"_id": tenant_id}, session=self._session)
        return program_from_doc(doc) if doc else None

    async def put_program(self, tenant_id: str, program: TierProgram) -> TierProgram:
        current = await self.get_program(tenant_id)
        stored = dataclasses.replace(program, version=(current.version if current else 0) + 1)
        await self._db[TIER_PROGRAMS].replace_one(
            {"_id": tenant_id},
            program_to_doc(tenant_id, stored),
            upsert=True,
            session=self._session,
        )
        return stored


class MongoRepositories:
    def __init__(self, db: Database, session: Session | None) -> None:
        self.members = MongoMemberRepository(db, session)
        self.tenants = MongoTenantRepository(db, session)
        self.events: list[MemberEnrolled] = []

    def record(self, event: MemberEnrolled) -> None:
        self.events.append(event)
