"""What the handlers need from storage, as small abstract ports.

Adapters implement these over MongoDB; unit tests implement them over dicts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from services.member.domain.identities import Identity
from services.member.domain.members import Member, MemberEnrolled
from services.member.domain.tenants import TenantSettings
from services.member.domain.tiers import TierProgram

T = TypeVar("T")
DomainEvent = MemberEnrolled


class MemberRepository(Protocol):
    async def get(self, tenant_id: str, member_id: str) -> Member | None: ...

    async def holders(self, tenant_id: str, identities: list[Identity]) -> dict[Identity, str]:
        """Which member id holds each of these identities, for those that are held."""
        ...

    async def add(self, member: Member) -> None:
        """Insert a new member and claim its identities; IdentityTaken if one is held."""
        ...

    async def save(self, member: Member) -> None:
        """Store changes and claim `member.new_identities`; IdentityTaken if one is held."""
        ...


class TenantRepository(Protocol):
    async def get_settings(self, tenant_id: str) -> TenantSettings | None: ...

    async def put_settings(self, tenant_id: str, settings: TenantSettings) -> None: ...

    async def get_program(self, tenant_id: str) -> TierProgram | None: ...

    async def put_program(self, tenant_id: str, program: TierProgram) -> TierProgram:
        """Store the program as the next version and return it."""
        ...


class Repositories(Protocol):
    """The repositories of one unit of work, and the events it will publish."""

    @property
    def members(self) -> MemberRepository: ...

    @property
    def tenants(self) -> TenantRepository: ...

    def record(self, event: DomainEvent) -> None:
        """Publish `event` if, and only if, this unit of work commits."""
        ...


class UnitOfWork(Protocol):
    async def transaction(self, work: Callable[[Repositories], Awaitable[T]]) -> T:
        """Run `work` atomically with its recorded events; may run it more than once."""
        ...

    async def read(self, work: Callable[[Repositories], Awaitable[T]]) -> T:
        """Run read-only `work` outside a transaction."""
        ...
