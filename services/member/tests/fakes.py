"""In-memory adapters for the member handlers' ports."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from services.member.domain.errors import IdentityTaken
from services.member.domain.identities import Identity
from services.member.domain.members import Member, MemberEnrolled
from services.member.domain.tenants import TenantSettings
from services.member.domain.tiers import TierProgram

T = TypeVar("T")


@dataclass
class State:
    members: dict[tuple[str, str], Member] = field(default_factory=dict)
    identities: dict[tuple[str, Identity], str] = field(default_factory=dict)
    settings: dict[str, TenantSettings] = field(default_factory=dict)
    programs: dict[str, TierProgram] = field(default_factory=dict)


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
        for identity in member.new_identities:
            if (member.tenant_id, identity) in self._state.identities:
                raise IdentityTaken(identity)
            self._state.identities[(member.tenant_id, identity)] = member.member_id
        member.new_identities.clear()
        self._state.members[(member.tenant_id, member.member_id)] = copy.deepcopy(member)


class FakeTenants:
    def __init__(self, state: State) -> None:
        self._state = state

    async def get_settings(self, tenant_id: str) -> TenantSettings | None:
        return self._state.settings.get(tenant_id)

    async def put_settings(self, tenant_id: str, settings: TenantSettings) -> None:
        self._state.settings[tenant_id] = settings

    async def get_program(self, tenant_id: str) -> TierProgram | None:
        return self._state.programs.get(tenant_id)

    async def put_program(self, tenant_id: str, program: TierProgram) -> TierProgram:
        current = self._state.programs.get(tenant_id)
        stored = dataclasses.replace(program, version=(current.version if current else 0) + 1)
        self._state.programs[tenant_id] = stored
        return stored


class FakeRepositories:
    def __init__(self, state: State) -> None:
        self.members = FakeMembers(state)
        self.tenants = FakeTenants(state)
        self.events: list[MemberEnrolled] = []

    def record(self, event: MemberEnrolled) -> None:
        self.events.append(event)


class FakeUnitOfWork:
    """Commits by keeping the changed state, rolls back by restoring a snapshot."""

    def __init__(self) -> None:
        self.state = State()
        self.published: list[MemberEnrolled] = []

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
