"""The member service's repositories over its own MongoDB database."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from pymongo import ASCENDING, DESCENDING

from libs.mongo import Database, Session
from libs.unit_of_work import EventRepositories
from services.member.adapters.crypto import Vault
from services.member.adapters.documents.members import BIRTHDAY_MONTH_DAY
from services.member.adapters.documents.tenants import (
    program_from_doc,
    program_to_doc,
    settings_from_doc,
    settings_to_doc,
)
from services.member.adapters.repositories.history import (
    MongoHistoryRepository,
    ensure_history_indexes,
)
from services.member.adapters.repositories.members import IDENTITIES, MEMBERS, MongoMemberRepository
from services.member.adapters.repositories.program_cache import ProgramCache
from services.member.adapters.repositories.qualifying import (
    MongoQualifyingRepository,
    ensure_qualifying_indexes,
)
from services.member.domain.members import DomainEvent
from services.member.domain.profile import ConsentPurpose
from services.member.domain.tenants import TenantSettings
from services.member.domain.tiers import TierProgram

TENANT_SETTINGS = "tenant_settings"
TIER_PROGRAMS = "tier_programs"


async def ensure_indexes(db: Database) -> None:
    members = db[MEMBERS]
    await members.create_index([("tenant_id", ASCENDING), ("enrolled_at", ASCENDING)])
    consents = [f"consents.{purpose.value}.granted" for purpose in ConsentPurpose]
    for field in ("tier.code", "enrolled_channel", "preferred_store_id", "status", *consents):
        await members.create_index(
            [("tenant_id", ASCENDING), (field, ASCENDING), ("_id", DESCENDING)]
        )
    await members.create_index(
        [("tenant_id", ASCENDING), (BIRTHDAY_MONTH_DAY, ASCENDING), ("_id", ASCENDING)]
    )
    await members.create_index("tier.manual.until", sparse=True)
    await members.create_index([("tenant_id", ASCENDING), ("merged_into", ASCENDING)])
    await members.create_index([("tenant_id", ASCENDING), ("tier.period_ends_at", ASCENDING)])
    await db[IDENTITIES].create_index([("tenant_id", ASCENDING), ("member_id", ASCENDING)])
    await ensure_history_indexes(db)
    await ensure_qualifying_indexes(db)


class MongoTenantRepository:
    def __init__(
        self, db: Database, session: Session | None, programs: ProgramCache | None = None
    ) -> None:
        self._db = db
        self._session = session
        self._programs = programs

    async def get_settings(self, tenant_id: str) -> TenantSettings | None:
        doc = await self._db[TENANT_SETTINGS].find_one({"_id": tenant_id}, session=self._session)
        return settings_from_doc(doc) if doc else None

    async def put_settings(self, tenant_id: str, settings: TenantSettings) -> None:
        await self._db[TENANT_SETTINGS].replace_one(
            {"_id": tenant_id}, settings_to_doc(settings), upsert=True, session=self._session
        )

    async def get_program(self, tenant_id: str) -> TierProgram | None:
        if self._programs is None:
            return await self._read_program(tenant_id)
        return await self._programs.get(tenant_id, lambda: self._read_program(tenant_id))

    async def _read_program(self, tenant_id: str) -> TierProgram | None:
        doc = await self._db[TIER_PROGRAMS].find_one({"_id": tenant_id}, session=self._session)
        return program_from_doc(doc) if doc else None

    async def programs(self) -> list[tuple[str, TierProgram]]:
        cursor = self._db[TIER_PROGRAMS].find({}, session=self._session)
        return [(doc["_id"], program_from_doc(doc)) async for doc in cursor]

    async def put_program(self, tenant_id: str, program: TierProgram) -> TierProgram:
        if self._programs is not None:
            self._programs.forget(tenant_id)
        current = await self._read_program(tenant_id)
        stored = dataclasses.replace(program, version=(current.version if current else 0) + 1)
        await self._db[TIER_PROGRAMS].replace_one(
            {"_id": tenant_id},
            program_to_doc(tenant_id, stored),
            upsert=True,
            session=self._session,
        )
        return stored


class MongoRepositories(EventRepositories[DomainEvent]):
    def __init__(
        self,
        db: Database,
        session: Session | None,
        vault: Vault,
        programs: ProgramCache | None = None,
    ) -> None:
        super().__init__(db, session)
        self.members = MongoMemberRepository(db, session, vault)
        self.tenants = MongoTenantRepository(db, session, programs)
        self.history = MongoHistoryRepository(db, session)
        self.qualifying = MongoQualifyingRepository(db, session)


def repositories_factory(
    vault: Vault, programs: ProgramCache | None = None
) -> Callable[[Database, Session | None], MongoRepositories]:
    """Repositories for each unit of work; with `programs`, tier programs are shared by the
    process's units of work for a moment (program_cache.py)."""

    def make(db: Database, session: Session | None) -> MongoRepositories:
        return MongoRepositories(db, session, vault, programs)

    return make
