"""What the points handlers need from storage and from the campaign service.

Adapters implement these over MongoDB and gRPC; unit tests implement them in memory.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from services.points.domain.accrual import CampaignBonus
from services.points.domain.adjustments import AdjustmentRecord
from services.points.domain.campaign_results import CampaignAnswer
from services.points.domain.earning import EarningRule
from services.points.domain.events import DomainEvent
from services.points.domain.exchange import ExchangeRate
from services.points.domain.grants import GrantRecord
from services.points.domain.ledger import Entry
from services.points.domain.orders import MemberContext
from services.points.domain.pages import Page
from services.points.domain.pricing import PricedOrder
from services.points.domain.reconciliation import Drift
from services.points.domain.records import OrderRecord
from services.points.domain.redemptions import Redemption
from services.points.domain.returns import ReturnRecord
from services.points.domain.transfers import TransferRecord
from services.points.domain.wallet import Wallet

T = TypeVar("T")


class RuleRepository(Protocol):
    async def get_rule(self, tenant_id: str) -> EarningRule | None: ...

    async def put_rule(self, tenant_id: str, rule: EarningRule) -> EarningRule:
        """Store the rule as the next version and return it."""
        ...


class ExchangeRateRepository(Protocol):
    async def rate_at(self, tenant_id: str, currency: str, at: datetime) -> ExchangeRate | None:
        """The rate of `currency` valid at `at` (the latest from before it), if any."""
        ...

    async def put(self, tenant_id: str, rates: Sequence[ExchangeRate]) -> list[ExchangeRate | None]:
        """Store each rate (one per currency and `valid_from`: a new one replaces the old);
        what each replaced, None where there was none."""
        ...

    async def all(self, tenant_id: str, currency: str = "") -> list[ExchangeRate]:
        """The tenant's rates (of `currency` only, if given), by currency, newest first."""
        ...


class WalletRepository(Protocol):
    async def get(self, tenant_id: str, member_id: str) -> Wallet | None: ...

    async def save(self, wallet: Wallet) -> None:
        """Insert or update; StaleWrite when it changed since it was read."""
        ...

    async def due(self, now: datetime, limit: int) -> list[tuple[str, str]]:
        """(tenant id, member id) of wallets with pending points to release or lots to
        expire by `now`."""
        ...


class OrderRepository(Protocol):
    async def get(self, tenant_id: str, order_id: str) -> OrderRecord | None: ...

    async def add(self, order: OrderRecord) -> None:
        """AlreadySeen when the tenant already has this order id."""
        ...

    async def save(self, order: OrderRecord) -> None: ...

    async def any_of_member(self, tenant_id: str, member_id: str) -> bool:
        """Whether the tenant has seen an order of this member."""
        ...

    async def of_member(self, tenant_id: str, member_id: str, page: Page) -> list[OrderRecord]:
        """The member's orders, newest credited first, after the page's position: up to
        `page.limit + 1` (one more says another page follows)."""
        ...


class GrantRepository(Protocol):
    async def get(self, tenant_id: str, grant_key: str) -> GrantRecord | None: ...

    async def add(self, record: GrantRecord) -> None:
        """AlreadySeen when the tenant already has this grant key."""
        ...


class ReturnRepository(Protocol):
    async def get(self, tenant_id: str, return_id: str) -> ReturnRecord | None: ...

    async def add(self, record: ReturnRecord) -> None:
        """AlreadySeen when the tenant already has this return id."""
        ...

    async def of_order(self, tenant_id: str, order_id: str) -> list[ReturnRecord]:
        """The order's returns, oldest first."""
        ...


class AdjustmentRepository(Protocol):
    async def get(self, tenant_id: str, adjustment_id: str) -> AdjustmentRecord | None: ...

    async def get_many(
        self, tenant_id: str, adjustment_ids: Sequence[str]
    ) -> list[AdjustmentRecord]:
        """Those of these ids the tenant has."""
        ...

    async def add(self, record: AdjustmentRecord) -> None:
        """AlreadySeen when the tenant already has this adjustment id."""
        ...


class TransferRepository(Protocol):
    async def get(self, tenant_id: str, transfer_id: str) -> TransferRecord | None: ...

    async def add(self, record: TransferRecord) -> None:
        """AlreadySeen when the tenant already has this transfer id."""
        ...


class EntryRepository(Protocol):
    async def add(self, wallet: Wallet, entries: Sequence[Entry]) -> None: ...

    async def page(
        self, tenant_id: str, member_id: str, limit: int, before_seq: int | None
    ) -> list[Entry]:
        """Newest first."""
        ...


class RedemptionRepository(Protocol):
    async def get(self, tenant_id: str, redemption_id: str) -> Redemption | None: ...

    async def add(self, redemption: Redemption) -> None: ...

    async def save(self, redemption: Redemption) -> None:
        """StaleWrite when it changed since it was read."""
        ...

    async def due(self, now: datetime, limit: int) -> list[tuple[str, str]]:
        """(tenant id, redemption id) of holds whose time is up."""
        ...

    async def expiring(self, tenant_id: str, until: datetime, limit: int) -> list[Redemption]:
        """The tenant's holds (status held) expiring by `until`, soonest first."""
        ...

    async def of_member(self, tenant_id: str, member_id: str, page: Page) -> list[Redemption]:
        """The member's redemptions, newest first, after the page's position: up to
        `page.limit + 1`."""
        ...


class Repositories(Protocol):
    """The repositories of one unit of work, and the events it will publish."""

    @property
    def rules(self) -> RuleRepository: ...

    @property
    def rates(self) -> ExchangeRateRepository: ...

    @property
    def wallets(self) -> WalletRepository: ...

    @property
    def orders(self) -> OrderRepository: ...

    @property
    def returns(self) -> ReturnRepository: ...

    @property
    def adjustments(self) -> AdjustmentRepository: ...

    @property
    def transfers(self) -> TransferRepository: ...

    @property
    def grants(self) -> GrantRepository: ...

    @property
    def entries(self) -> EntryRepository: ...

    @property
    def redemptions(self) -> RedemptionRepository: ...

    def record(self, event: DomainEvent) -> None:
        """Publish `event` if, and only if, this unit of work commits."""
        ...


class BalanceProjection(Protocol):
    async def project(self, wallets: Iterable[Wallet]) -> None:
        """Keep the balances of these wallets where balance reads find them."""
        ...


class UnitOfWork(Protocol):
    async def transaction(self, work: Callable[[Repositories], Awaitable[T]]) -> T:
        """Run `work` atomically with its recorded events; may run it more than once."""
        ...

    async def read(self, work: Callable[[Repositories], Awaitable[T]]) -> T:
        """Run read-only `work` outside a transaction."""
        ...


@dataclass(frozen=True)
class Evaluation:
    """An order priced, and the member it is for, as the campaign service needs them."""

    priced: PricedOrder
    member: MemberContext
    # The tenant's IANA time zone (empty: UTC).
    time_zone: str = ""
    # No earlier order of this member was seen.
    first_purchase: bool = False


class Reconciler(Protocol):
    async def drifting(self, tenant_id: str) -> list[Drift]:
        """The tenant's members whose points disagree with their ledger (see
        `reconciliation`)."""
        ...


class BonusUnavailable(Exception):
    """The campaign service did not answer in time; the bonus is settled later."""


class CampaignEvaluator(Protocol):
    async def evaluate(self, evaluation: Evaluation) -> CampaignAnswer:
        """The effects of the campaigns this order qualifies for (points, and coupons with
        a hold to settle) and the campaigns skipped with their reasons; BonusUnavailable
        when the answer does not come within the deadline."""
        ...

    async def settle(
        self, bonuses: Sequence[CampaignBonus], *, tenant_id: str, order_id: str, commit: bool
    ) -> None:
        """Commit (the order is credited) or release the campaigns' holds; never raises:
        holds left unsettled are released by the campaign service after a while."""
        ...
