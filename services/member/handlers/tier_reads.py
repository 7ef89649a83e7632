"""What counting a tier reads of members, their merges and their books, for one
transaction. A batch of events reads ahead for all its members with one query each
(their holders, the members merged into them, their books), and walks merges further only
for members actually merged; what the batch writes is kept, so its later events see it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from services.member.domain.ports import Repositories
from services.member.domain.tier_book import QualifyingBook, TierHolder
from services.member.domain.tiers import TierState

Key = tuple[str, str]


class TierReads:
    def __init__(self, repos: Repositories) -> None:
        self.repos = repos
        self._holders: dict[Key, TierHolder | None] = {}
        self._merged: dict[Key, list[str]] = {}
        self._books: dict[Key, QualifyingBook] = {}

    async def read_ahead(self, members: Iterable[Key]) -> None:
        """The holders of `members`, the members merged into them and their books: one
        query each per tenant, whatever the number of members."""
        by_tenant: dict[str, list[str]] = {}
        for tenant_id, member_id in members:
            wanted = by_tenant.setdefault(tenant_id, [])
            if member_id not in wanted:
                wanted.append(member_id)
        for tenant_id, member_ids in by_tenant.items():
            await self._read_tenant(tenant_id, member_ids)

    async def _read_tenant(self, tenant_id: str, member_ids: list[str]) -> None:
        holders = await self.repos.members.tier_holders(tenant_id, member_ids)
        for member_id in member_ids:
            self._holders[(tenant_id, member_id)] = holders.get(member_id)
        active = [h.member_id for h in holders.values() if h.is_active]
        if not active:
            return
        merged = await self.repos.members.merged_into_each(tenant_id, active)
        for member_id in active:
            self._merged[(tenant_id, member_id)] = merged.get(member_id, [])
        owners = active + [m for found in merged.values() for m in found]
        for book in await self.repos.qualifying.books(tenant_id, owners):
            self._books[(tenant_id, book.member_id)] = book

    async def holder(self, tenant_id: str, member_id: str) -> TierHolder | None:
        key = (tenant_id, member_id)
        if key not in self._holders:
            self._holders[key] = await self.repos.members.tier_holder(tenant_id, member_id)
        return self._holders[key]

    async def merged_into(self, tenant_id: str, member_id: str) -> list[str]:
        key = (tenant_id, member_id)
        if key not in self._merged:
            self._merged[key] = await self.repos.members.merged_into(tenant_id, member_id)
        return self._merged[key]

    async def books(self, tenant_id: str, member_ids: list[str]) -> list[QualifyingBook]:
        missing = [m for m in member_ids if (tenant_id, m) not in self._books]
        if missing:
            for book in await self.repos.qualifying.books(tenant_id, missing):
                self._books[(tenant_id, book.member_id)] = book
        return [self._books[(tenant_id, m)] for m in member_ids]

    async def save_book(self, book: QualifyingBook) -> None:
        await self.repos.qualifying.save(book)
        self._books[(book.tenant_id, book.member_id)] = book

    def tier_saved(self, holder: TierHolder, tier: TierState) -> None:
        """The holder's tier as this transaction stored it, for the batch's later events."""
        self._holders[(holder.tenant_id, holder.member_id)] = replace(holder, tier=tier)
