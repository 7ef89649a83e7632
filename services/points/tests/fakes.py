"""In-memory adapters for the points handlers' ports."""

from __future__ import annotations

import copy
import dataclasses
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from services.points.domain.accrual import CampaignBonus
from services.points.domain.adjustments import AdjustmentRecord
from services.points.domain.campaign_results import CampaignAnswer, SkippedCampaign
from services.points.domain.earning import EarningRule
from services.points.domain.errors import AlreadySeen
from services.points.domain.events import DomainEvent
from services.points.domain.exchange import ExchangeRate, rate_at
from services.points.domain.grants import GrantRecord
from services.points.domain.ledger import Entry
from services.points.domain.lot_moves import attach_lot_moves
from services.points.domain.pages import Page
from services.points.domain.ports import BonusUnavailable, Evaluation
from services.points.domain.records import OrderRecord
from services.points.domain.redemptions import Redemption, RedemptionStatus
from services.points.domain.returns import ReturnRecord
from services.points.domain.transfers import TransferRecord
from services.points.domain.wallet import Wallet
from services.points.tests.fake_records import FakeRecords, check_version
from services.points.tests.fake_wallets import FakeWallets

T = TypeVar("T")
R = TypeVar("R")
Key = tuple[str, str]


@dataclass
class State:
    rules: dict[str, EarningRule] = field(default_factory=dict)
    rates: dict[str, list[ExchangeRate]] = field(default_factory=lambda: defaultdict(list))
    wallets: dict[Key, Wallet] = field(default_factory=dict)
    orders: dict[Key, OrderRecord] = field(default_factory=dict)
    returns: dict[Key, ReturnRecord] = field(default_factory=dict)
    adjustments: dict[Key, AdjustmentRecord] = field(default_factory=dict)
    transfers: dict[Key, TransferRecord] = field(default_factory=dict)
    grants: dict[Key, GrantRecord] = field(default_factory=dict)
    entries: dict[Key, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    redemptions: dict[Key, Redemption] = field(default_factory=dict)


class FakeRules:
    def __init__(self, state: State) -> None:
        self._state = state

    async def get_rule(self, tenant_id: str) -> EarningRule | None:
        return self._state.rules.get(tenant_id)

    async def put_rule(self, tenant_id: str, rule: EarningRule) -> EarningRule:
        current = self._state.rules.get(tenant_id)
        stored = dataclasses.replace(rule, version=(current.version if current else 0) + 1)
        self._state.rules[tenant_id] = stored
        return stored


class FakeRates:
    def __init__(self, state: State) -> None:
        self._state = state

    async def rate_at(self, tenant_id: str, currency: str, at: datetime) -> ExchangeRate | None:
        return rate_at(self._state.rates[tenant_id], currency, at)

    async def put(self, tenant_id: str, rates: Sequence[ExchangeRate]) -> list[ExchangeRate | None]:
        kept = self._state.rates[tenant_id]
        replaced: list[ExchangeRate | None] = []
        for rate in rates:
            same = [
                r for r in kept if (r.currency, r.valid_from) == (rate.currency, rate.valid_from)
            ]
            replaced.append(same[0] if same else None)
            kept[:] = [r for r in kept if r not in same] + [rate]
        return replaced

    async def all(self, tenant_id: str, currency: str = "") -> list[ExchangeRate]:
        found = [r for r in self._state.rates[tenant_id] if not currency or r.currency == currency]
        newest_first = sorted(found, key=lambda r: r.valid_from, reverse=True)
        return sorted(newest_first, key=lambda r: r.currency)


class FakeOrders:
    def __init__(self, state: State) -> None:
        self._state = state

    async def get(self, tenant_id: str, order_id: str) -> OrderRecord | None:
        return copy.deepcopy(self._state.orders.get((tenant_id, order_id)))

    async def add(self, order: OrderRecord) -> None:
        if (order.tenant_id, order.order_id) in self._state.orders:
            raise AlreadySeen(order.order_id)
        await self.save(order)

    async def save(self, order: OrderRecord) -> None:
        current = self._state.orders.get((order.tenant_id, order.order_id))
        check_version(current.version if current else None, order.version, "order")
        order.version += 1
        self._state.orders[(order.tenant_id, order.order_id)] = copy.deepcopy(order)

    async def any_of_member(self, tenant_id: str, member_id: str) -> bool:
        return any(
            (t, o.member_id) == (tenant_id, member_id) for (t, _), o in self._state.orders.items()
        )

    async def of_member(self, tenant_id: str, member_id: str, page: Page) -> list[OrderRecord]:
        mine = [
            copy.deepcopy(o)
            for (t, _), o in self._state.orders.items()
            if (t, o.member_id) == (tenant_id, member_id)
        ]
        return after_position(mine, page, lambda o: (o.created_at, o.order_id))


def after_position(
    records: list[R], page: Page, key: Callable[[R], tuple[datetime, str]]
) -> list[R]:
    """As the Mongo adapter pages: newest first, after the position, of the page's stores."""
    kept = [
        r
        for r in records
        if (page.after is None or key(r) < page.after)
        and (not page.store_ids or getattr(r, "store_id", "") in page.store_ids)
    ]
    return sorted(kept, key=key, reverse=True)[: page.limit + 1]


class FakeEntries:
    def __init__(self, state: State) -> None:
        self._state = state

    async def add(self, wallet: Wallet, entries: Sequence[Entry]) -> None:
        named = attach_lot_moves(wallet, entries)
        self._state.entries[(wallet.tenant_id, wallet.member_id)].extend(named)

    async def page(
        self, tenant_id: str, member_id: str, limit: int, before_seq: int | None
    ) -> list[Entry]:
        entries = sorted(self._state.entries[(tenant_id, member_id)], key=lambda e: -e.seq)
        return [e for e in entries if before_seq is None or e.seq < before_seq][:limit]


class FakeRedemptions:
    def __init__(self, state: State) -> None:
        self._state = state

    async def get(self, tenant_id: str, redemption_id: str) -> Redemption | None:
        return copy.deepcopy(self._state.redemptions.get((tenant_id, redemption_id)))

    async def add(self, redemption: Redemption) -> None:
        await self.save(redemption)

    async def save(self, redemption: Redemption) -> None:
        key = (redemption.tenant_id, redemption.redemption_id)
        current = self._state.redemptions.get(key)
        check_version(current.version if current else None, redemption.version, "redemption")
        redemption.version += 1
        self._state.redemptions[key] = copy.deepcopy(redemption)

    async def due(self, now: datetime, limit: int) -> list[tuple[str, str]]:
        return [
            key
            for key, r in self._state.redemptions.items()
            if r.status is RedemptionStatus.HELD and r.expires_at <= now
        ][:limit]

    async def of_member(self, tenant_id: str, member_id: str, page: Page) -> list[Redemption]:
        mine = [
            copy.deepcopy(r)
            for (t, _), r in self._state.redemptions.items()
            if (t, r.member_id) == (tenant_id, member_id)
        ]
        return after_position(mine, page, lambda r: (r.created_at, r.redemption_id))

    async def expiring(self, tenant_id: str, until: datetime, limit: int) -> list[Redemption]:
        held = [
            copy.deepcopy(r)
            for (t, _), r in self._state.redemptions.items()
            if t == tenant_id and r.status is RedemptionStatus.HELD and r.expires_at <= until
        ]
        return sorted(held, key=lambda r: r.expires_at)[:limit]


class FakeReturns(FakeRecords[ReturnRecord]):
    async def of_order(self, tenant_id: str, order_id: str) -> list[ReturnRecord]:
        found = (
            r for (t, _), r in self._records.items() if (t, r.order_id) == (tenant_id, order_id)
        )
        return sorted(found, key=lambda r: r.created_at)


class FakeRepositories:
    def __init__(self, state: State) -> None:
        self.rules = FakeRules(state)
        self.rates = FakeRates(state)
        self.wallets = FakeWallets(state.wallets)
        self.orders = FakeOrders(state)
        self.returns = FakeReturns(state.returns, "return_id")
        self.adjustments = FakeRecords(state.adjustments, "adjustment_id")
        self.transfers = FakeRecords(state.transfers, "transfer_id")
        self.grants = FakeRecords(state.grants, "grant_key")
        self.entries = FakeEntries(state)
        self.redemptions = FakeRedemptions(state)
        self.events: list[DomainEvent] = []

    def record(self, event: DomainEvent) -> None:
        self.events.append(event)


class FakeUnitOfWork:
    """Commits by keeping the changed state, rolls back by restoring a snapshot."""

    def __init__(self) -> None:
        self.state = State()
        self.published: list[DomainEvent] = []
        self.transactions = 0

    async def transaction(self, work: Callable[[FakeRepositories], Awaitable[T]]) -> T:
        snapshot = copy.deepcopy(self.state)
        repos = FakeRepositories(self.state)
        try:
            result = await work(repos)
        except BaseException:
            self.state = snapshot
            raise
        self.transactions += 1
        self.published.extend(repos.events)
        return result

    async def read(self, work: Callable[[FakeRepositories], Awaitable[T]]) -> T:
        return await work(FakeRepositories(self.state))

    def ledger_sum(self, tenant_id: str, member_id: str) -> int:
        return sum(e.points for e in self.state.entries[(tenant_id, member_id)])


class FakeCampaigns:
    """Answers with the bonuses (and skipped campaigns) it was given, or not at all when
    `down`."""

    def __init__(
        self,
        *bonuses: CampaignBonus,
        skipped: Sequence[SkippedCampaign] = (),
        down: bool = False,
    ) -> None:
        self.bonuses = list(bonuses)
        self.skipped = tuple(skipped)
        self.down = down
        self.asked: list[Evaluation] = []
        self.settled: list[tuple[str, list[str], bool]] = []

    async def evaluate(self, evaluation: Evaluation) -> CampaignAnswer:
        self.asked.append(evaluation)
        if self.down:
            raise BonusUnavailable("deadline exceeded")
        return CampaignAnswer(tuple(self.bonuses), self.skipped)

    async def settle(
        self, bonuses: Sequence[CampaignBonus], *, tenant_id: str, order_id: str, commit: bool
    ) -> None:
        self.settled.append((order_id, [b.reservation_id for b in bonuses], commit))
