"""The balance read model (`libs/balance_view.py`) kept by the points service: every
commit that saved a wallet writes the member's entry before the command answers (so the
till reads its own write), and a balance read back-fills a missing one. Redis failing
costs nothing but the entry: the gateway then asks `GetBalance`."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Generic, Protocol, TypeVar

from libs.balance_view import BalanceView, BalanceViews
from libs.logging import get_logger
from libs.unit_of_work import MongoUnitOfWork
from services.points.adapters.documents.balance_view import view_of
from services.points.adapters.repositories import MongoWalletRepository
from services.points.domain.wallet import Wallet

log = get_logger(__name__)

T = TypeVar("T")


class WalletBalances:
    """Writes the entries of wallets; without Redis (`views` None) it does nothing.

    An entry whose write failed would be stale once Redis answers again, so its member is
    owed a deletion, made before the next write; while Redis fails, writes are not tried
    for `pause` seconds (a purchase must not wait on it). A process that stops while owing
    leaves its stale entries to their time to live."""

    def __init__(
        self,
        views: BalanceViews | None,
        pause: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._views = views
        self._pause = pause
        self._monotonic = monotonic
        self._resume_at = 0.0
        self._owed: set[tuple[str, str]] = set()

    async def project(self, wallets: Iterable[Wallet]) -> None:
        await self.write((w.tenant_id, w.member_id, view_of(w)) for w in wallets)

    async def write(self, views: Iterable[tuple[str, str, BalanceView]]) -> None:
        if self._views is None:
            return
        pending = list(views)
        if self._monotonic() < self._resume_at:
            self._owed.update((t, m) for t, m, _ in pending)
            return
        try:
            if self._owed:
                await self._views.forget_many(sorted(self._owed))
                self._owed.clear()
            if pending:
                await self._views.put_many(pending)
        except Exception as exc:  # Redis away: no entry is better than a stale one
            log.warning("balance_view_unwritten", error=repr(exc))
            self._owed.update((t, m) for t, m, _ in pending)
            self._resume_at = self._monotonic() + self._pause

    @property
    def owed(self) -> int:
        return len(self._owed)


class HasWallets(Protocol):
    @property
    def wallets(self) -> MongoWalletRepository: ...

    @property
    def events(self) -> list[Any]: ...


R = TypeVar("R", bound=HasWallets)


class ProjectingUnitOfWork(Generic[R]):
    """A unit of work that, after each commit, writes the balances of the wallets the
    committed attempt saved (an attempt may be retried: only the last one counts)."""

    def __init__(self, inner: MongoUnitOfWork[R, Any], balances: WalletBalances) -> None:
        self._inner = inner
        self._balances = balances

    async def transaction(self, work: Callable[[R], Awaitable[T]]) -> T:
        attempt: list[R] = []

        async def tracked(repos: R) -> T:
            attempt[:] = [repos]
            return await work(repos)

        result = await self._inner.transaction(tracked)
        if attempt:
            saved = attempt[0].wallets.saved
            await self._balances.write((t, m, view) for (t, m), view in saved.items())
        return result

    async def read(self, work: Callable[[R], Awaitable[T]]) -> T:
        return await self._inner.read(work)
