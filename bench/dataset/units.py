"""Units of work over the in-memory database: the services' own repositories, no
transactions, and no events (bulk history is old news; nothing should react to it)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar, cast

from bench.dataset.memory import MemoryDatabase
from libs.mongo import Database, Session
from services.points.domain.accrual import CampaignBonus
from services.points.domain.campaign_results import CampaignAnswer
from services.points.domain.ports import Evaluation

R = TypeVar("R")
T = TypeVar("T")


class MemoryUnitOfWork(Generic[R]):
    def __init__(self, db: MemoryDatabase, make: Callable[[Database, Session | None], R]) -> None:
        self._db = cast(Database, db)
        self._make = make

    async def transaction(self, work: Callable[[R], Awaitable[T]]) -> T:
        return await work(self._make(self._db, None))

    async def read(self, work: Callable[[R], Awaitable[T]]) -> T:
        return await work(self._make(self._db, None))


class NoCampaigns:
    """History earns the base and tier points only: campaigns start with the benchmark."""

    async def evaluate(self, evaluation: Evaluation) -> CampaignAnswer:
        return CampaignAnswer()

    async def settle(self, bonuses: Sequence[CampaignBonus], **_: Any) -> None:
        return None
