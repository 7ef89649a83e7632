"""What the points handlers need from storage."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from services.points.domain.balances import Balance
from services.points.domain.earning import EarningRule

T = TypeVar("T")


class RuleRepository(Protocol):
    async def get_rule(self, tenant_id: str) -> EarningRule | None: ...

    async def put_rule(self, tenant_id: str, rule: EarningRule) -> EarningRule:
        """Store the rule as the next version and return it."""
        ...


class BalanceRepository(Protocol):
    async def get_balance(self, tenant_id: str, member_id: str) -> Balance | None: ...


class Repositories(Protocol):
    @property
    def rules(self) -> RuleRepository: ...

    @property
    def balances(self) -> BalanceRepository: ...


class UnitOfWork(Protocol):
    async def transaction(self, work: Callable[[Repositories], Awaitable[T]]) -> T: ...

    async def read(self, work: Callable[[Repositories], Awaitable[T]]) -> T: ...
