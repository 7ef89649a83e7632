"""Segments: saved rules over what campaigns know of members (tier, where they enrolled,
marketing consent) and how they buy (recency, frequency and monetary value over a window)."""

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

    @property
    def needs_window(self) -> bool:
        return self.min_orders is not None or self.min_spend is not None


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
    _check(rules.min_orders is not None and rules.min_orders < 1, "rules.min_orders: 1 or more")
    spend = rules.min_spend
    _check(
        spend is not None and (not spend.is_finite() or spend < 0),
        "rules.min_spend: a decimal amount of 0 or more",
    )
    _check(
        rules.needs_window and rules.window_days is None,
        "rules.window_days: required with min_orders or min_spend",
    )


def window_start(rules: SegmentRules, now: datetime) -> datetime | None:
    return None if rules.window_days is None else now - timedelta(days=rules.window_days)


def _recent(rules: SegmentRules, facts: MemberFacts, now: datetime) -> bool:
    if rules.recency_days is None:
        return True
    last = facts.last_purchase_at
    return last is not None and last >= now - timedelta(days=rules.recency_days)


def _buys_enough(rules: SegmentRules, stats: WindowStats) -> bool:
    if rules.min_orders is not None and stats.orders < rules.min_orders:
        return False
    return rules.min_spend is None or stats.spend_cents >= to_cents(rules.min_spend)


def matches(rules: SegmentRules, facts: MemberFacts, stats: WindowStats, now: datetime) -> bool:
    return (
        (not rules.tiers or facts.tier_code in rules.tiers)
        and (not rules.channels or facts.channel in rules.channels)
        and (not rules.store_ids or facts.store_id in rules.store_ids)
        and (not rules.marketing_consent or facts.marketing_consent)
        and _recent(rules, facts, now)
        and _buys_enough(rules, stats)
    )
