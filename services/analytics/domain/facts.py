"""What the analytics read model learns from each event: plain facts, no wire types.

Events carry no personal data; the facts keep a member only as the opaque id the
platform gave it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import Enum


@dataclass(frozen=True)
class Lot:
    points: int
    expires_at: datetime


@dataclass(frozen=True)
class Wallet:
    """A member's points right after an event: what the liability report sums."""

    available: int = 0
    held: int = 0
    pending: int = 0
    lots: tuple[Lot, ...] = ()


@dataclass(frozen=True)
class SoldLine:
    sku: str
    category: str
    quantity: int
    amount: Decimal


@dataclass(frozen=True)
class Fact:
    tenant_id: str
    member_id: str
    at: datetime


@dataclass(frozen=True)
class Enrolled(Fact):
    channel: str = ""
    store_id: str = ""
    tier: str = ""
    # The member refused profiling (its `profiling` consent is false): left out of the
    # profiling analyses (retention, RFM).
    refuses_profiling: bool = False


@dataclass(frozen=True)
class ConsentsChanged(Fact):
    """The member's consents as they now stand; only profiling matters here."""

    refuses_profiling: bool = False


@dataclass(frozen=True)
class TierChanged(Fact):
    from_tier: str = ""
    to_tier: str = ""


@dataclass(frozen=True)
class Merged(Fact):
    """`member_id` is the survivor; `merged_id` is no member any more."""

    merged_id: str = ""


@dataclass(frozen=True)
class Erased(Fact):
    pass


@dataclass(frozen=True)
class Purchased(Fact):
    order_id: str = ""
    channel: str = ""
    store_id: str = ""
    tier: str = ""
    total: Decimal = Decimal(0)
    lines: tuple[SoldLine, ...] = ()
    points: int = 0


@dataclass(frozen=True)
class Returned(Fact):
    """A return, where it was made and what came back in money."""

    order_id: str = ""
    channel: str = ""
    store_id: str = ""
    points: int = 0
    amount: Decimal = Decimal(0)
    lines: tuple[SoldLine, ...] = ()


class Movement(Enum):
    ISSUED = "issued"
    REDEEMED = "redeemed"
    EXPIRED = "expired"
    ADJUSTED = "adjusted"


@dataclass(frozen=True)
class PointsMoved(Fact):
    """Points issued (earned or granted), redeemed (negative: a captured redemption
    cancelled), expired or adjusted by an operator."""

    movement: Movement = Movement.ISSUED
    points: int = 0
    channel: str = ""
    store_id: str = ""


@dataclass(frozen=True)
class WalletSeen(Fact):
    wallet: Wallet = field(default_factory=Wallet)


@dataclass(frozen=True)
class Event:
    """One event of the stream as the read model takes it: its id, its place in the
    stream, and the facts it states (a transfer states two wallets)."""

    event_id: str
    tenant_id: str
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class CampaignInfo:
    """What a campaign's changes tell: its trigger, and who it targets and holds out."""

    campaign_id: str
    trigger: str = ""
    holdout_percent: int = 0
    segment_id: str = ""  # "": every member
    starts_at: datetime | None = None
    ends_at: datetime | None = None


@dataclass(frozen=True)
class CampaignSeen(Fact):
    """A campaign as `campaign.changed` tells it (no member: `member_id` is empty)."""

    campaign: CampaignInfo = field(default_factory=lambda: CampaignInfo(""))


@dataclass(frozen=True)
class Rewarded(Fact):
    """A campaign rewarded the member with points: `points.granted` naming a campaign, or
    a campaign's line of a purchase's `points.earned`."""

    campaign_id: str = ""
    points: int = 0
