"""What following a merge needs from storage: wallets, entries, the member's records."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from services.points.domain.merge import MovedRecords, PointsMerged
from services.points.domain.ports import EntryRepository, WalletRepository

T = TypeVar("T")


class MemberRecords(Protocol):
    async def reassign(self, tenant_id: str, from_member: str, to_member: str) -> MovedRecords:
        """Make the orders, redemptions and returns of `from_member` name `to_member`."""
        ...


class MergeRepositories(Protocol):
    @property
    def wallets(self) -> WalletRepository: ...

    @property
    def entries(self) -> EntryRepository: ...

    @property
    def records(self) -> MemberRecords: ...

    async def claim(self, consumer: str, event_id: str) -> bool:
        """Note that `consumer` handles `event_id` in this unit of work; False when it was
        handled before."""
        ...

    def record(self, event: PointsMerged) -> None: ...


class MergeUnitOfWork(Protocol):
    async def transaction(self, work: Callable[[MergeRepositories], Awaitable[T]]) -> T: ...
