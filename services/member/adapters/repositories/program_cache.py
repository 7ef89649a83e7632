"""The tenants' tier programs kept in the process for a moment: every purchase's member
resolution and every tier evaluation read the program, which changes a few times a year.

A program put through this process is forgotten at once, and for `FRESH_FOR` after it every
read here goes to the database (a read while the put's transaction had not committed yet
keeps nothing), so it applies to the next request here; another replica of the service
reads it within `FRESH_FOR`."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from services.member.domain.tiers import TierProgram

FRESH_FOR = 2.0


class ProgramCache:
    def __init__(
        self, fresh_for: float = FRESH_FOR, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._fresh_for = fresh_for
        self._clock = clock
        self._programs: dict[str, tuple[float, TierProgram | None]] = {}
        self._read_through_until: dict[str, float] = {}

    async def get(
        self, tenant_id: str, read: Callable[[], Awaitable[TierProgram | None]]
    ) -> TierProgram | None:
        now = self._clock()
        kept = self._programs.get(tenant_id)
        if kept is not None and now - kept[0] < self._fresh_for:
            return kept[1]
        program = await read()
        if now >= self._read_through_until.get(tenant_id, 0.0):
            self._programs[tenant_id] = (now, program)
        return program

    def forget(self, tenant_id: str) -> None:
        self._programs.pop(tenant_id, None)
        self._read_through_until[tenant_id] = self._clock() + self._fresh_for
