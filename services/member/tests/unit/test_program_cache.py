"""Tier programs kept in the process for a moment, and never past a change made here."""

from __future__ import annotations

from decimal import Decimal

from services.member.adapters.repositories.program_cache import ProgramCache
from services.member.domain.tiers import Tier, TierProgram


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Store:
    def __init__(self, program: TierProgram | None) -> None:
        self.program = program
        self.reads = 0

    async def read(self) -> TierProgram | None:
        self.reads += 1
        return self.program


def program(version: int) -> TierProgram:
    return TierProgram(
        tiers=(Tier("member", "Member", 0, Decimal(1)),),
        qualifying_metric="points_earned",
        window_days=365,
        downgrade_grace_days=0,
        version=version,
    )


async def test_a_program_read_once_is_kept_while_fresh_then_read_again() -> None:
    clock, store = Clock(), Store(program(1))
    cache = ProgramCache(fresh_for=2.0, clock=clock)

    assert (await cache.get("t1", store.read), await cache.get("t1", store.read)) == (
        program(1),
        program(1),
    )
    assert store.reads == 1
    clock.now += 2.0
    store.program = program(2)
    assert await cache.get("t1", store.read) == program(2)
    assert store.reads == 2


async def test_after_a_change_here_every_read_goes_to_the_store_for_a_while() -> None:
    clock, store = Clock(), Store(program(1))
    cache = ProgramCache(fresh_for=2.0, clock=clock)
    await cache.get("t1", store.read)

    cache.forget("t1")
    assert await cache.get("t1", store.read) == program(1)  # read before the change committed
    store.program = program(2)
    assert await cache.get("t1", store.read) == program(2)
    assert store.reads == 3
    clock.now += 2.0
    await cache.get("t1", store.read)
    await cache.get("t1", store.read)
    assert store.reads == 4


async def test_tenants_are_kept_apart() -> None:
    cache = ProgramCache(clock=Clock())
    one, two = Store(program(1)), Store(None)

    assert await cache.get("t1", one.read) == program(1)
    assert await cache.get("t2", two.read) is None
