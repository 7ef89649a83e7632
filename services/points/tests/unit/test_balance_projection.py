"""What the points service does with the balance read model when Redis fails: no write
waits on it, and no entry it could not update is left to be read once Redis is back."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from libs.balance_view import BalanceView
from services.points.adapters.balance_views import WalletBalances

if TYPE_CHECKING:
    from collections.abc import Sequence

    from libs.balance_view import BalanceViews


class FlakyViews:
    def __init__(self) -> None:
        self.down = False
        self.tries = 0
        self.entries: dict[tuple[str, str], BalanceView] = {}

    async def put(self, tenant_id: str, member_id: str, view: BalanceView) -> bool:
        self.tries += 1
        if self.down:
            raise ConnectionError("redis away")
        self.entries[(tenant_id, member_id)] = view
        return True

    async def put_many(self, views: Sequence[tuple[str, str, BalanceView]]) -> None:
        for tenant_id, member_id, view in views:
            await self.put(tenant_id, member_id, view)

    async def forget_many(self, members: Sequence[tuple[str, str]]) -> None:
        self.tries += 1
        if self.down:
            raise ConnectionError("redis away")
        for member in members:
            self.entries.pop(member, None)


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_an_entry_redis_missed_is_deleted_once_redis_is_back() -> None:
    views, ticks = FlakyViews(), Ticks()
    balances = WalletBalances(cast("BalanceViews", views), pause=1.0, monotonic=ticks)
    await balances.write([("t", "m1", BalanceView(1, available=10))])
    await balances.write([("t", "m2", BalanceView(1, available=5))])
    views.down = True
    await balances.write([("t", "m1", BalanceView(2, available=0))])
    assert (views.entries[("t", "m1")].version, balances.owed) == (1, 1)
    views.down = False
    ticks.now = 1.0
    await balances.write([("t", "m2", BalanceView(2, available=7))])
    assert ("t", "m1") not in views.entries
    assert (views.entries[("t", "m2")].version, balances.owed) == (2, 0)


async def test_while_redis_fails_writes_are_not_tried_for_a_pause() -> None:
    views, ticks = FlakyViews(), Ticks()
    balances = WalletBalances(cast("BalanceViews", views), pause=1.0, monotonic=ticks)
    views.down = True
    await balances.write([("t", "m1", BalanceView(1))])
    ticks.now = 0.5
    await balances.write([("t", "m2", BalanceView(1))])
    assert (views.tries, balances.owed) == (1, 2)
