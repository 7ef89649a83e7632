"""What the points service tells others, as plain domain events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from services.points.domain.accrual import CampaignBonus, EarningLine
from services.points.domain.balances import Balance
from services.points.domain.exchange import Conversion
from services.points.domain.expiry import ExpiringLot
from services.points.domain.orders import MemberContext, Order
from services.points.domain.pricing import PricedLine


@dataclass(frozen=True)
class PointsEarned:
    """An order was credited. With `bonus_pending` the campaign bonus is still to settle,
    so the event carries what the campaign service needs to evaluate the order again."""

    event_id: str
    order: Order
    member: MemberContext
    lines: tuple[PricedLine, ...]
    points: int
    breakdown: tuple[EarningLine, ...]
    bonus_pending: bool
    lot_expires_at: datetime | None
    # Set while the points wait out the tenant's pending period; no entries yet then.
    pending_until: datetime | None
    entry_ids: tuple[str, ...]
    balance: Balance
    at: datetime
    # What the campaign service was (or would have been) asked with.
    time_zone: str = ""
    first_purchase: bool = False
    # The campaigns whose coupon effect (no points) the order was granted.
    coupon_campaign_ids: tuple[str, ...] = ()
    # The points bonuses credited, each with the campaign budget it was held from.
    campaign_bonuses: tuple[CampaignBonus, ...] = ()
    # Set when `order` was converted into the base currency: what it was, and the rate.
    conversion: Conversion | None = None


@dataclass(frozen=True)
class PointsGranted:
    """A reward was credited (GrantPoints); with `order_id` it belongs to that order."""

    event_id: str
    tenant_id: str
    member_id: str
    grant_key: str
    points: int
    campaign_id: str
    campaign_version: int
    reason: str
    order_id: str
    # Empty while the grant waits with its order's pending points.
    entry_id: str
    lot_expires_at: datetime | None
    balance: Balance
    at: datetime


@dataclass(frozen=True)
class PointsRedeemed:
    event_id: str
    tenant_id: str
    member_id: str
    redemption_id: str
    points: int
    order_id: str
    channel: str
    store_id: str
    entry_id: str
    balance: Balance
    at: datetime


@dataclass(frozen=True)
class PointsHeld:
    """Points held for a checkout: available went to held (no entry yet)."""

    event_id: str
    tenant_id: str
    member_id: str
    redemption_id: str
    points: int
    order_id: str
    channel: str
    store_id: str
    balance: Balance
    at: datetime


@dataclass(frozen=True)
class PointsReleased:
    """A redemption's points came back: a hold released or expired (no entry), or a captured
    redemption reversed (a `redeem_cancel` entry)."""

    event_id: str
    tenant_id: str
    member_id: str
    redemption_id: str
    points: int
    status: str
    entry_id: str
    balance: Balance
    at: datetime


@dataclass(frozen=True)
class PointsReversed:
    """A return took points back (`points` is how many)."""

    event_id: str
    tenant_id: str
    member_id: str
    order_id: str
    return_id: str
    points: int
    entry_id: str
    balance: Balance
    at: datetime
    shortfall: int = 0
    # Where it was returned, and what came back (each line's share of what was paid).
    channel: str = ""
    store_id: str = ""
    currency: str = ""
    amount: Decimal = Decimal(0)
    lines: tuple[PricedLine, ...] = ()
    # The order's own currency and rate when it was converted: `currency` and `amount`
    # are then the base currency's.
    conversion: Conversion | None = None


@dataclass(frozen=True)
class PointsConfirmed:
    """Pending points of these orders became available; their entries were written."""

    event_id: str
    tenant_id: str
    member_id: str
    order_ids: tuple[str, ...]
    points: int
    entry_ids: tuple[str, ...]
    balance: Balance
    at: datetime


@dataclass(frozen=True)
class PointsExpired:
    """Lots reached their expiry; `points` is how many they still held."""

    event_id: str
    tenant_id: str
    member_id: str
    points: int
    entry_ids: tuple[str, ...]
    balance: Balance
    at: datetime


@dataclass(frozen=True)
class PointsAdjusted:
    """An operator credited (`points` above zero) or debited the member."""

    event_id: str
    tenant_id: str
    member_id: str
    adjustment_id: str
    points: int
    actor: str
    entry_id: str
    balance: Balance
    at: datetime


@dataclass(frozen=True)
class PointsTransferred:
    """Points moved from `member_id` (whose `balance` this is) to `to_member_id`."""

    event_id: str
    tenant_id: str
    member_id: str
    transfer_id: str
    to_member_id: str
    points: int
    actor: str
    out_entry_id: str
    in_entry_id: str
    balance: Balance
    to_balance: Balance
    at: datetime


@dataclass(frozen=True)
class PointsExpiring:
    """Lots came within their last days before expiry; each lot is announced once."""

    event_id: str
    tenant_id: str
    member_id: str
    points: int
    lots: tuple[ExpiringLot, ...]
    balance: Balance
    at: datetime


DomainEvent = (
    PointsEarned
    | PointsGranted
    | PointsRedeemed
    | PointsHeld
    | PointsReleased
    | PointsReversed
    | PointsConfirmed
    | PointsExpired
    | PointsAdjusted
    | PointsTransferred
    | PointsExpiring
)
