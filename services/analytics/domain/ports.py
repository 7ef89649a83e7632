"""The ports the analytics handlers use: the read model inside a transaction, the log of
events it is built from, where a tenant's time zone comes from, and a segment's members."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from services.analytics.domain.buckets import Increment, Kind, MemberOp, MemberState
from services.analytics.domain.churn import ChurnMember, ChurnRisk
from services.analytics.domain.churn_kept import KeptChurns
from services.analytics.domain.facts import CampaignInfo, Lot
from services.analytics.domain.layout import Control
from services.analytics.domain.liability import WalletChange
from services.analytics.domain.month_sums import MemberTotals
from services.analytics.domain.rfm import RfmTotals
from services.analytics.domain.winback import RewardedMember

if TYPE_CHECKING:  # it reads the member profiles, which read these ports' MemberMarks
    from services.analytics.domain.campaign_days import EnrolledDays
    from services.analytics.domain.campaign_holdout import SpendAndOrders

T = TypeVar("T")


@dataclass(frozen=True)
class LoggedEvent:
    """An event as the stream delivered it, kept so the read model can be rebuilt after
    the stream has let it go."""

    event_id: str
    tenant_id: str
    seq: int
    subject: str
    data: bytes


class ReadModel(ABC):
    @abstractmethod
    async def member(self, tenant_id: str, member_id: str) -> MemberState | None: ...

    async def prefetch(self, members: Sequence[tuple[str, str]]) -> None:  # noqa: B027
        """Read the states of these (tenant, member) pairs ahead, together: a hint that
        saves a read per event; `member` answers the same with or without it."""

    @abstractmethod
    async def order_tier(self, tenant_id: str, order_id: str) -> str: ...

    @abstractmethod
    def add(self, tenant_id: str, increments: Sequence[Increment]) -> None:
        """Counted in memory; `flush` writes every bucket touched once."""

    @abstractmethod
    def add_wallets(self, tenant_id: str, changes: Sequence[WalletChange]) -> None:
        """The liability's running totals and expiry days moved, in memory; `flush`
        writes every document touched once."""

    @abstractmethod
    async def change_member(self, tenant_id: str, member_id: str, op: MemberOp) -> None: ...

    @abstractmethod
    async def remember_order(self, tenant_id: str, order_id: str, tier: str) -> None: ...

    @abstractmethod
    async def remember_campaign(self, tenant_id: str, campaign: CampaignInfo) -> None: ...

    @abstractmethod
    async def flush(self) -> None: ...


class Repositories(ABC):
    read_model: ReadModel

    @abstractmethod
    async def claim(self, consumer: str, event_ids: Sequence[str]) -> set[str]: ...

    @abstractmethod
    async def log(self, events: Sequence[LoggedEvent]) -> None: ...

    @abstractmethod
    async def enter(self) -> Control:
        """Mark this transaction as the read model's writer (a rebuild and the consumer
        never both commit over each other); the control record as it stands."""

    @abstractmethod
    async def control(self) -> Control:
        """The control record as this transaction's snapshot sees it, without marking the
        transaction a writer: a read that never conflicts with the consumer's batches."""

    @abstractmethod
    async def logged_after(self, seq: int, limit: int) -> list[LoggedEvent]: ...

    @abstractmethod
    async def logged_any(self) -> bool: ...

    @abstractmethod
    async def claim_rebuild(
        self, holder: str, now: datetime, until: datetime, *, unless_layout: int | None = None
    ) -> bool:
        """Start a rebuild held by `holder` until `until`, unless another's holds the read
        model at `now` (or, given `unless_layout`, the read model records that layout and no
        rebuild was left half done: another replica has just rebuilt it); whether it
        started."""

    @abstractmethod
    async def hold_rebuild(self, holder: str, until: datetime) -> bool:
        """Hold the running rebuild until `until`; False when `holder` no longer holds it
        (its lease lapsed and another took it over)."""

    @abstractmethod
    async def finish_rebuild(self, holder: str, layout: int) -> bool:
        """End `holder`'s rebuild, recording the layout it wrote; False when it no longer
        held it."""

    @abstractmethod
    async def record_layout(self, layout: int) -> None:
        """Record `layout` for a read model that records none (nothing logged yet)."""


class UnitOfWork(ABC):
    @abstractmethod
    async def transaction(self, work: Callable[[Repositories], Awaitable[T]]) -> T: ...

    @abstractmethod
    async def clear_read_model(self) -> None:
        """Drop every bucket, member, order and kept liability the read model holds
        (never the log)."""


class TimeZones(ABC):
    @abstractmethod
    async def time_zone(self, tenant_id: str) -> str: ...


@dataclass(frozen=True)
class SegmentAudience:
    """A segment's members as the campaign service materialised them, and whether it is
    a profiling segment (its rules leave out members who refused profiling)."""

    member_ids: frozenset[str]
    profiling: bool = False


class SegmentsUnavailable(Exception):
    """The campaign service did not give a segment's members (away, late, or no such
    segment)."""


class SegmentMembers(ABC):
    @abstractmethod
    async def audience(self, tenant_id: str, segment_id: str) -> SegmentAudience:
        """Raises SegmentsUnavailable when the members cannot be had."""


class Freshness(ABC):
    @abstractmethod
    async def behind(self) -> str:
        """ "" once the read model has applied every event the stream held when asked
        (waiting a little for it); else why not: `analytics_behind` or
        `analytics_rebuilding` (domain/campaign_holdout.py)."""


@dataclass(frozen=True)
class MemberMarks:
    """What turns a segment's member ids into the read model's members: merged members'
    survivors, and who refused profiling."""

    merged_into: dict[str, str]
    refusing: frozenset[str]


@dataclass(frozen=True)
class Scope:
    """A report's tenant, days (both included) and filters; empty filters take all."""

    tenant_id: str
    from_day: str
    to_day: str
    store_ids: tuple[str, ...] = ()
    channel: str = ""
    tier: str = ""


@dataclass(frozen=True)
class Settings:
    point_value: str = ""
    currency: str = ""


@dataclass(frozen=True)
class Totals:
    available: int = 0
    held: int = 0
    pending: int = 0
    members: int = 0


Row = tuple[dict[str, str], dict[str, int]]


class Reports(ABC):
    @abstractmethod
    async def sums(
        self, scope: Scope, kind: Kind, by: Sequence[str], *, from_day: str, to_day: str
    ) -> list[Row]:
        """The kind's counters summed over the days (both included) and the scope's
        filters that apply to it, grouped by `by` ("day" or a dimension)."""

    @abstractmethod
    async def counters(
        self, tenant_id: str, kind: Kind, names: Sequence[str], *, from_day: str, to_day: str
    ) -> dict[str, int]:
        """The named counters of the kind's buckets (those without dimensions) summed over
        the days, both included; 0 for a counter no bucket holds."""

    @abstractmethod
    async def last_purchases(self, scope: Scope, after_day: str, to_day: str) -> list[str]:
        """The last day each member (merged ones in their survivor) bought after
        `after_day` and by `to_day`, within the scope's stores and channel; one day a
        member, those who bought nothing there left out."""

    @abstractmethod
    async def cohort_counts(
        self, tenant_id: str, from_day: str, to_day: str
    ) -> list[tuple[str, int]]:
        """The retention counts (domain/cohorts.py) kept for the months of enrolment from
        `from_day`'s to `to_day`'s."""

    @abstractmethod
    async def rfm_totals(self, tenant_id: str, from_day: str, to_day: str) -> list[RfmTotals]:
        """Each member who ordered from `from_day` to `to_day`: its orders, net cents and
        last purchase day in those days, leaving out merged members and those who refused
        profiling."""

    @abstractmethod
    async def rfm_columns(self, tenant_id: str, from_day: str, to_day: str) -> MemberTotals:
        """`rfm_totals` in columns."""

    @abstractmethod
    async def churn_members(self, tenant_id: str) -> list[ChurnMember]:
        """Members with a purchase on three days or more, with their purchase and return
        days, leaving out merged members and those who refused profiling."""

    @abstractmethod
    async def kept_churn(self, tenant_id: str) -> KeptChurns:
        """`churn_members` as their pages keep them: each one's churn index, and a way to
        its heading and days."""

    @abstractmethod
    async def churn_risk(
        self, tenant_id: str, as_of: str, tier: str, store_ids: Sequence[str]
    ) -> ChurnRisk:
        """`kept_churn_risk` of `kept_churn`'s members as of the day, in that tier and
        last bought at those stores (none: every one)."""

    @abstractmethod
    async def rewarded_members(self, tenant_id: str) -> list[RewardedMember]:
        """Members a campaign rewarded, with their rewards and purchase days, leaving out
        merged members."""

    @abstractmethod
    async def campaigns(self, tenant_id: str) -> dict[str, CampaignInfo]: ...

    @abstractmethod
    async def member_spend(self, tenant_id: str, from_day: str, to_day: str) -> dict[str, int]:
        """Every enrolled member (merged ones left out: in their survivor) and their net
        spend in cents in the days, 0 for those who bought nothing."""

    @abstractmethod
    async def enrolled_members(self, tenant_id: str) -> list[str]:
        """Every enrolled member, merged ones left out."""

    @abstractmethod
    def holdout_buckets(self, campaign_id: str, member_ids: Sequence[str]) -> bytes:
        """For each member, where the campaign's holdout hash puts it (0-99,
        `libs/holdout.py`); worked out once for members asked about again."""

    @abstractmethod
    async def member_orders_and_spend(
        self, tenant_id: str, from_day: str, to_day: str
    ) -> SpendAndOrders:
        """`member_spend`, and the orders in the days of the enrolled members who ordered
        on them, from the same read."""

    @abstractmethod
    async def member_days(self, tenant_id: str, from_day: str, to_day: str) -> EnrolledDays:
        """Every enrolled member (merged ones left out), and the members' orders and net
        cents on each day of the range they bought or returned on, in day order."""

    @abstractmethod
    async def member_marks(self, tenant_id: str) -> MemberMarks:
        """Every merged member with whom it was merged into, and every member who refused
        profiling."""

    @abstractmethod
    async def campaign_reach(self, tenant_id: str, from_day: str, to_day: str) -> dict[str, int]:
        """Per campaign, the members (merged ones in their survivor) it rewarded in the days."""

    @abstractmethod
    async def wallets(self, tenant_id: str) -> Totals:
        """Every member's kept wallet summed, one read of each (what reconciliation
        is compared with; the report reads `wallet_totals`, kept equal to it)."""

    @abstractmethod
    async def wallets_and_lots(
        self, tenant_id: str, after: datetime, until: datetime
    ) -> tuple[Totals, list[Lot]]:
        """`wallets`, and the points of the lots that expire after `after` and by
        `until`, in one read of the wallets: what the kept liability is checked against."""

    @abstractmethod
    async def wallet_totals(self, tenant_id: str) -> Totals:
        """The running totals of the members' wallets kept at ingest: one document."""

    @abstractmethod
    async def expiring_by_day(self, tenant_id: str, from_day: str, to_day: str) -> dict[str, int]:
        """The points of the kept lots by the UTC day they expire on, the days from
        `from_day` to `to_day` (both included); a day with none is left out."""

    @abstractmethod
    async def expiring_by_minute(
        self, tenant_id: str, days: Sequence[str]
    ) -> dict[str, dict[str, int]]:
        """The points of the kept lots of these UTC days by the minute (HHMM) they expire
        in; a day with none is left out."""

    @abstractmethod
    async def expiring_between(self, tenant_id: str, start: datetime, end: datetime) -> int:
        """The points of the kept lots that expire from `start` to `end`, both included."""

    @abstractmethod
    async def settings(self, tenant_id: str) -> Settings: ...

    @abstractmethod
    async def put_settings(self, tenant_id: str, settings: Settings) -> None: ...
