"""What the handlers need from storage and from cryptography, as small abstract ports.

Adapters implement these over MongoDB and `cryptography`; unit tests implement them over
dicts. Personal data is encrypted below these ports: handlers see plain members.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from services.member.domain.birthdays import BirthdayQuery
from services.member.domain.history import (
    AuditEntry,
    AuditPage,
    ConsentChange,
    MemberHistory,
    TierChange,
)
from services.member.domain.identities import Identity
from services.member.domain.members import DomainEvent, Member
from services.member.domain.search import MemberPage, MemberQuery
from services.member.domain.tenants import TenantSettings
from services.member.domain.tier_book import QualifyingBook, TierHolder
from services.member.domain.tiers import TierProgram, TierState
from services.member.domain.wallet_holder import WalletHolder

T = TypeVar("T")


class MemberRepository(Protocol):
    async def get(self, tenant_id: str, member_id: str) -> Member | None: ...

    async def holders(self, tenant_id: str, identities: list[Identity]) -> dict[Identity, str]:
        """Which member id holds each of these identities, for those that are held."""
        ...

    async def add(self, member: Member) -> None:
        """Insert a new member with a new data key and claim its identities;
        IdentityTaken if one is held."""
        ...

    async def save(self, member: Member) -> None:
        """Store changes, claim `new_identities` (IdentityTaken if one is held) and free
        `released_identities`. Saving an erased member destroys its data key."""
        ...

    async def search(self, tenant_id: str, query: MemberQuery) -> MemberPage: ...

    async def with_expired_manual_tier(self, now: datetime, limit: int) -> list[tuple[str, str]]:
        """(tenant id, member id) of members whose manual tier ended before `now`."""
        ...

    async def with_period_ended(self, tenant_id: str, before: datetime, limit: int) -> list[str]:
        """Active members of the tenant whose tier's qualification period ended before
        `before` and who hold no manual tier: the tiers to judge again."""
        ...

    async def tier_holder(self, tenant_id: str, member_id: str) -> TierHolder | None:
        """The member's status, tier and merge, without reading its personal data."""
        ...

    async def tier_holders(self, tenant_id: str, member_ids: list[str]) -> dict[str, TierHolder]:
        """`tier_holder` of several members with one read; unknown ones left out."""
        ...

    async def wallet_holder(self, tenant_id: str, member_id: str) -> WalletHolder | None:
        """What a purchase needs of the member, without reading its personal data."""
        ...

    async def save_tier(self, holder: TierHolder, tier: TierState) -> None:
        """Store the member's new tier state (nothing else of the member changes)."""
        ...

    async def merged_into(self, tenant_id: str, member_id: str) -> list[str]:
        """The ids of the members merged into this one."""
        ...

    async def merged_into_each(self, tenant_id: str, member_ids: list[str]) -> dict[str, list[str]]:
        """`merged_into` of several members with one read; those with none left out."""
        ...

    async def born_on(self, tenant_id: str, query: BirthdayQuery) -> tuple[list[str], str]:
        """Active members born on the query's month and day, ascending by id after its
        cursor: a page of ids and the next cursor ("" on the last page)."""
        ...


class HistoryRepository(Protocol):
    async def add_audit(self, entry: AuditEntry) -> None: ...

    async def add_consent(self, change: ConsentChange) -> None: ...

    async def add_tier(self, change: TierChange) -> None: ...

    async def forget_notes(self, tenant_id: str, member_id: str) -> None:
        """Drop free text kept with the member's history (operators' notes) on erasure."""
        ...

    async def of_member(self, tenant_id: str, member_id: str) -> MemberHistory: ...

    async def audit_page(
        self, tenant_id: str, member_id: str, cursor: str, limit: int
    ) -> AuditPage: ...

    async def consent_changes(
        self, tenant_id: str, member_id: str, limit: int
    ) -> list[ConsentChange]:
        """The member's consent changes, newest first."""
        ...


class QualifyingRepository(Protocol):
    """Each member's tier progress: one book per member of the orders that count toward
    tiers, from the points events."""

    async def books(self, tenant_id: str, member_ids: list[str]) -> list[QualifyingBook]:
        """The books of these members, an empty one for a member with none."""
        ...

    async def save(self, book: QualifyingBook) -> None:
        """Write the book whole. Two evaluations of one member at once conflict on it, so
        one of them is retried and sees the other's order."""
        ...


class TenantRepository(Protocol):
    async def get_settings(self, tenant_id: str) -> TenantSettings | None: ...

    async def put_settings(self, tenant_id: str, settings: TenantSettings) -> None: ...

    async def get_program(self, tenant_id: str) -> TierProgram | None: ...

    async def programs(self) -> list[tuple[str, TierProgram]]:
        """Every tenant's tier program."""
        ...

    async def put_program(self, tenant_id: str, program: TierProgram) -> TierProgram:
        """Store the program as the next version and return it."""
        ...


class Repositories(Protocol):
    """The repositories of one unit of work, and the events it will publish."""

    @property
    def members(self) -> MemberRepository: ...

    @property
    def tenants(self) -> TenantRepository: ...

    @property
    def history(self) -> HistoryRepository: ...

    @property
    def qualifying(self) -> QualifyingRepository: ...

    async def claimed(self, consumer: str, event_id: str) -> bool:
        """Whether `consumer` noted handling `event_id` in an inbox row (as versions before
        the tier books did)."""
        ...

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


@dataclass(frozen=True)
class MemberCode:
    tenant_id: str
    member_id: str
    expires_at: datetime


class MemberCodes(Protocol):
    """Signed short-lived codes naming a member of a tenant."""

    def issue(self, code: MemberCode) -> str: ...

    def read(self, tenant_id: str, text: str) -> MemberCode | None:
        """The code if it is well formed, signed by us and for this tenant; else None.
        Expiry is the caller's rule to check."""
        ...
