"""The in-memory audit trail, consent history and tier history."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from services.member.domain.history import (
    AuditEntry,
    AuditPage,
    ConsentChange,
    MemberHistory,
    TierChange,
)

if TYPE_CHECKING:
    from services.member.tests.fakes import State


class FakeHistory:
    def __init__(self, state: State) -> None:
        self._state = state

    async def add_audit(self, entry: AuditEntry) -> None:
        self._state.audit.append(entry)

    async def add_consent(self, change: ConsentChange) -> None:
        self._state.consents.append(change)

    async def add_tier(self, change: TierChange) -> None:
        self._state.tiers.append(change)

    async def forget_notes(self, tenant_id: str, member_id: str) -> None:
        self._state.tiers = [
            dataclasses.replace(t, note="")
            if (t.tenant_id, t.member_id) == (tenant_id, member_id)
            else t
            for t in self._state.tiers
        ]

    async def of_member(self, tenant_id: str, member_id: str) -> MemberHistory:
        def mine(row: AuditEntry | ConsentChange | TierChange) -> bool:
            return (row.tenant_id, row.member_id) == (tenant_id, member_id)

        return MemberHistory(
            consents=[c for c in self._state.consents if mine(c)],
            tiers=[t for t in self._state.tiers if mine(t)],
            audit=[a for a in self._state.audit if mine(a)],
        )

    async def consent_changes(
        self, tenant_id: str, member_id: str, limit: int
    ) -> list[ConsentChange]:
        mine = (await self.of_member(tenant_id, member_id)).consents
        # Newest first, the later added of a tie first (as the Mongo adapter's _id order).
        ordered = sorted(mine, key=lambda c: c.at)
        ordered.reverse()
        return ordered[:limit]

    async def audit_page(
        self, tenant_id: str, member_id: str, cursor: str, limit: int
    ) -> AuditPage:
        entries = sorted(
            (
                a
                for a in (await self.of_member(tenant_id, member_id)).audit
                if not cursor or a.entry_id < cursor
            ),
            key=lambda a: a.entry_id,
            reverse=True,
        )
        page = entries[:limit]
        return AuditPage(page, page[-1].entry_id if len(entries) > limit else "")
