"""Segments: saved rules over what campaigns know of members (tier, where they enrolled,
marketing and profiling consent) and how they buy (recency, frequency and monetary value
over a window, each bounded below and above: an RFM cell is such a segment)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from libs.errors import InvalidArgument
from services.campaign.campaigns.domain.history import MemberFacts, to_cents

MAX_NAME = 200
MAX_DAYS = 3660


@dataclass(frozen=True)
class SegmentRules:
    """Each one optional, all combined with AND; a set means "any of"."""

    tiers: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    store_ids: frozenset[str] = frozenset()
    marketing_consent: bool = False
    recency_days: int | None = None
    window_days: int | None = None
    min_orders: int | None = None
    min_spend: Decimal | None = None
    min_days_since_purchase: int | None = None
    max_orders: int | None = None
    max_spend: Decimal | None = None
    profiling_consent: bool = False

    @property
    def needs_window(self) -> bool:
        return any(
            bound is not None
            for bound in (self.min_orders, self.min_spend, self.max_orders, self.max_spend)
        )


@dataclass(frozen=True)
class Segment:
    segment_id: str
    tenant_id: str
    name: str
    rules: SegmentRules
    created_at: datetime
    updated_at: datetime
    size: int = 0
    refreshed_at: datetime | None = None


@dataclass(frozen=True)
class WindowStats:
    """A member's purchases within a segment's window, returns deducted."""

    orders: int = 0
    spend_cents: int = 0


def _check(failed: bool, message: str) -> None:
    if failed:
        raise InvalidArgument(message)


def _days(value: int | None, name: str) -> None:
    _check(value is not None and not 1 <= value <= MAX_DAYS, f"{name}: from 1 to {MAX_DAYS}")


def validate(name: str, rules: SegmentRules) -> None:
    _check(not name.strip(), "name: required")
    _check(len(name) > MAX_NAME, f"name: at most {MAX_NAME} characters")
    _days(rules.recency_days, "rules.recency_days")
    _days(rules.window_days, "rules.window_days")
    _days(rules.min_days_since_purchase, "rules.min_days_since_purchase")
    _check(rules.min_orders is not None and rules.min_orders < 1, "rules.min_orders: 1 or more")
    _check(rules.max_orders is not None and rules.max_orders < 0, "rules.max_orders: 0 or more")
    for field, spend in (("min_spend", rules.min_spend), ("max_spend", rules.max_spend)):
        _check(
            spend is not None and (not spend.is_finite() or spend < 0),
            f"rules.{field}: a decimal amount of 0 or more",
        )
    _check(
        rules.needs_window and rules.window_days is None,
        "rules.window_days: required with min_orders, max_orders, min_spend or max_spend",
    )


def window_start(rules: SegmentRules, now: datetime) -> datetime | None:
    return None if rules.window_days is None else now - timedelta(days=rules.window_days)


def _recent(rules: SegmentRules, facts: MemberFacts, now: datetime) -> bool:
    """Bought within the last `recency_days`, and not within the last
    `min_days_since_purchase` (a member who never bought has not bought lately)."""
    last = facts.last_purchase_at
    if rules.recency_days is not None and (
        last is None or last < now - timedelta(days=rules.recency_days)
    ):
        return False
    return (
        rules.min_days_since_purchase is None
        or last is None
        or last < now - timedelta(days=rules.min_days_since_purchase)
    )


def _within(value: int, low: int | None, high: int | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _cents(amount: Decimal | None) -> int | None:
    return None if amount is None else to_cents(amount)


def _buys_enough(rules: SegmentRules, stats: WindowStats) -> bool:
    return _within(stats.orders, rules.min_orders, rules.max_orders) and _within(
        stats.spend_cents, _cents(rules.min_spend), _cents(rules.max_spend)
    )


def profiles(facts: MemberFacts) -> bool:
    """Not refused profiling: the purpose given as false (a purpose never asked is no
    refusal), as the analytics' profiling reports read it."""
    return facts.consents.get("profiling", True) is not False


def matches(rules: SegmentRules, facts: MemberFacts, stats: WindowStats, now: datetime) -> bool:
    return (
        (not rules.tiers or facts.tier_code in rules.tiers)
        and (not rules.channels or facts.channel in rules.channels)
        and (not rules.store_ids or facts.store_id in rules.store_ids)
        and (not rules.marketing_consent or facts.marketing_consent)
        and (not rules.profiling_consent or profiles(facts))
        and _recent(rules, facts, now)
        and _buys_enough(rules, stats)
    )
