"""In-memory adapters for the member handlers' ports."""

from __future__ import annotations

import copy
import dataclasses
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from services.member.domain.birthdays import BirthdayQuery
from services.member.domain.errors import IdentityTaken
from services.member.domain.history import (
    AuditEntry,
    ConsentChange,
    TierChange,
)
from services.member.domain.identities import Identity
from services.member.domain.members import DomainEvent, Member
from services.member.domain.search import MemberPage, MemberQuery
from services.member.domain.tenants import TenantSettings
from services.member.domain.tier_book import QualifyingBook, TierHolder
from services.member.domain.tiers import TierProgram, TierState
from services.member.domain.wallet_holder import WalletHolder
from services.member.tests.fake_history import FakeHistory
from services.member.tests.fake_qualifying import FakeQualifying

T = TypeVar("T")


@dataclass
class State:
    members: dict[tuple[str, str], Member] = field(default_factory=dict)
    identities: dict[tuple[str, Identity], str] = field(default_factory=dict)
    settings: dict[str, TenantSettings] = field(default_factory=dict)
    programs: dict[str, TierProgram] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    consents: list[ConsentChange] = field(default_factory=list)
    tiers: list[TierChange] = field(default_factory=list)
    books: dict[tuple[str, str], QualifyingBook] = field(default_factory=dict)
    claimed: set[str] = field(default_factory=set)
    # Reads of members by tier counting, by method: what a test of read counts looks at.
    member_reads: Counter[str] = field(default_factory=Counter)


def consents(member: Member, purpose: str) -> bool:
    return any(p.value == purpose and c.granted for p, c in member.consents.items())


class FakeMembers:
    def __init__(self, state: State) -> None:
        self._state = state

    async def get(self, tenant_id: str, member_id: str) -> Member | None:
        return copy.deepcopy(self._state.members.get((tenant_id, member_id)))

    async def holders(self, tenant_id: str, identities: list[Identity]) -> dict[Identity, str]:
        held = self._state.identities
        return {i: held[(tenant_id, i)] for i in identities if (tenant_id, i) in held}

    async def add(self, member: Member) -> None:
        await self.save(member)

    async def save(self, member: Member) -> None:
        for identity in member.released_identities:
            self._state.identities.pop((member.tenant_id, identity), None)
        member.released_identities.clear()
        for identity in member.new_identities:
            if (member.tenant_id, identity) in self._state.identities:
                raise IdentityTaken(identity)
            self._state.identities[(member.tenant_id, identity)] = member.member_id
        member.new_identities.clear()
        self._state.members[(member.tenant_id, member.member_id)] = copy.deepcopy(member)

    async def search(self, tenant_id: str, query: MemberQuery) -> MemberPage:
        def wanted(m: Member) -> bool:
            return (
                m.tenant_id == tenant_id
                and (not query.tier or (m.tier is not None and m.tier.code == query.tier))
                and (not query.channel or m.enrolled_channel.value == query.channel)
                and (not query.status or m.status.value == query.status)
                and (not query.consented_to or consents(m, query.consented_to))
                and (not query.cursor or m.member_id < query.cursor)
                and (not query.enrolled_from or m.enrolled_at >= query.enrolled_from)
                and (not query.enrolled_to or m.enrolled_at < query.enrolled_to)
                and (
                    not query.preferred_store_id
                    or m.profile.preferred_store_id == query.preferred_store_id
                )
            )

        found = sorted(
            (m for m in self._state.members.values() if wanted(m)),
            key=lambda m: m.member_id,
            reverse=True,
        )
        page = [copy.deepcopy(m) for m in found[: query.limit]]
        return MemberPage(page, page[-1].member_id if len(found) > query.limit else "")

    async def with_expired_manual_tier(self, now: datetime, limit: int) -> list[tuple[str, str]]:
        due = [
            key
            for key, m in self._state.members.items()
            if m.tier is not None and m.tier.manual is not None and m.tier.manual.until <= now
        ]
        return due[:limit]

    async def with_period_ended(self, tenant_id: str, before: datetime, limit: int) -> list[str]:
        return [
            m.member_id
            for m in self._state.members.values()
            if m.tenant_id == tenant_id
            and m.is_active
            and m.tier is not None
            and m.tier.manual is None
            and m.tier.period_ends_at is not None
            and m.tier.period_ends_at <= before
        ][:limit]

    async def tier_holder(self, tenant_id: str, member_id: str) -> TierHolder | None:
        self._state.member_reads["tier_holder"] += 1
        return self._holder(tenant_id, member_id)

    def _holder(self, tenant_id: str, member_id: str) -> TierHolder | None:
        m = self._state.members.get((tenant_id, member_id))
        if m is None:
            return None
        return TierHolder(tenant_id, member_id, m.status, m.tier, m.merged_into)

    async def tier_holders(self, tenant_id: str, member_ids: list[str]) -> dict[str, TierHolder]:
        self._state.member_reads["tier_holders"] += 1
        found = {m: self._holder(tenant_id, m) for m in member_ids}
        return {m: holder for m, holder in found.items() if holder is not None}

    async def wallet_holder(self, tenant_id: str, member_id: str) -> WalletHolder | None:
        member = self._state.members.get((tenant_id, member_id))
        return None if member is None else WalletHolder.of(member)

    async def save_tier(self, holder: TierHolder, tier: TierState) -> None:
        member = self._state.members[(holder.tenant_id, holder.member_id)]
        member.tier = tier
        member.version += 1

    async def merged_into(self, tenant_id: str, member_id: str) -> list[str]:
        self._state.member_reads["merged_into"] += 1
        return self._merged(tenant_id, member_id)

    def _merged(self, tenant_id: str, member_id: str) -> list[str]:
        return [
            m.member_id
            for m in self._state.members.values()
            if m.tenant_id == tenant_id and m.merged_into == member_id
        ]

    async def merged_into_each(self, tenant_id: str, member_ids: list[str]) -> dict[str, list[str]]:
        self._state.member_reads["merged_into_each"] += 1
        found = {m: self._merged(tenant_id, m) for m in member_ids}
        return {m: merged for m, merged in found.items() if merged}

    async def born_on(self, tenant_id: str, query: BirthdayQuery) -> tuple[list[str], str]:
        found = sorted(
            m.member_id
            for m in self._state.members.values()
            if m.tenant_id == tenant_id
            and m.is_active
            and m.profile.birthday is not None
            and (m.profile.birthday.month, m.profile.birthday.day) == (query.month, query.day)
            and (not query.consented_to or consents(m, query.consented_to))
            and m.member_id > query.cursor
        )
        page = found[: query.limit]
        return page, page[-1] if len(found) > query.limit else ""


class FakeTenants:
    def __init__(self, state: State) -> None:
        self._state = state

    async def get_settings(self, tenant_id: str) -> TenantSettings | None:
        return self._state.settings.get(tenant_id)

    async def put_settings(self, tenant_id: str, settings: TenantSettings) -> None:
        self._state.settings[tenant_id] = settings

    async def get_program(self, tenant_id: str) -> TierProgram | None:
        return self._state.programs.get(tenant_id)

    async def programs(self) -> list[tuple[str, TierProgram]]:
        return list(self._state.programs.items())

    async def put_program(self, tenant_id: str, program: TierProgram) -> TierProgram:
        current = self._state.programs.get(tenant_id)
        stored = dataclasses.replace(program, version=(current.version if current else 0) + 1)
        self._state.programs[tenant_id] = stored
        return stored


class FakeRepositories:
    def __init__(self, state: State) -> None:
        self.members = FakeMembers(state)
        self.tenants = FakeTenants(state)
        self.history = FakeHistory(state)
        self.qualifying = FakeQualifying(state.books)
        self.events: list[DomainEvent] = []
        self._state = state

    async def claimed(self, consumer: str, event_id: str) -> bool:
        return f"{consumer}:{event_id}" in self._state.claimed

    def record(self, event: DomainEvent) -> None:
        self.events.append(event)


class FakeUnitOfWork:
    """Commits by keeping the changed state, rolls back by restoring a snapshot."""

    def __init__(self) -> None:
        self.state = State()
        self.published: list[DomainEvent] = []

    async def transaction(self, work: Callable[[FakeRepositories], Awaitable[T]]) -> T:
        snapshot = copy.deepcopy(self.state)
        repos = FakeRepositories(self.state)
        try:
            result = await work(repos)
        except BaseException:
            self.state = snapshot
            raise
        self.published.extend(repos.events)
        return result

    async def read(self, work: Callable[[FakeRepositories], Awaitable[T]]) -> T:
        return await work(FakeRepositories(self.state))
