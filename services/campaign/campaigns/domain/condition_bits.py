"""A set of campaigns' conditions as bits: each distinct condition (a channel set, a
minimum total, a category filter…) is one bit, numbered in the order the conditions are
checked, and a purchase's failed conditions are one integer found with a few dictionary
look-ups and bisections, whatever the number of campaigns. A campaign's first failed
condition is then the lowest bit of (failed & its bits)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from services.campaign.campaigns.domain.facts import Purchase
from services.campaign.campaigns.domain.rules import Campaign, EffectType

# The skip reasons of a campaign's conditions, in the order they are checked.
REASONS = (
    "not_started",
    "ended",
    "channel",
    "store",
    "tier",
    "segment",
    "min_total",
    "first_purchase_only",
    "days_since_enrolment",
    "birthday_month",
    "day_of_week",
    "hour",
    "no_matching_lines",
    "no_marketing_consent",
)
LineKey = tuple[frozenset[str], frozenset[str]]
Condition = tuple[str, Hashable]


def line_key(campaign: Campaign) -> LineKey:
    return campaign.conditions.categories, campaign.conditions.skus


def conditions_of(campaign: Campaign) -> list[Condition]:
    """The campaign's conditions as (skip reason, value), in the order they are checked."""
    c = campaign.conditions
    found: list[tuple[str, Any]] = [
        ("not_started", campaign.starts_at),
        ("ended", campaign.ends_at),
        ("channel", c.channels or None),
        ("store", c.store_ids or None),
        ("tier", c.tiers or None),
        ("segment", c.segment_id or None),
        ("min_total", c.min_total),
        ("first_purchase_only", c.first_purchase_only or None),
        ("days_since_enrolment", c.min_days_since_enrolment),
        ("birthday_month", c.in_birthday_month or None),
        ("day_of_week", c.days_of_week or None),
        ("hour", c.hours),
        ("no_matching_lines", line_key(campaign) if c.categories or c.skus else None),
        ("no_marketing_consent", campaign.effect.type is EffectType.COUPON or None),
    ]
    return [(reason, value) for reason, value in found if value is not None]


def _bits(bit: dict[Condition, int], reason: str) -> dict[Any, int]:
    return {value: b for (r, value), b in bit.items() if r == reason}


def _union(bits: Iterable[int]) -> int:
    mask = 0
    for b in bits:
        mask |= b
    return mask


@dataclass(frozen=True)
class _Sorted:
    """Thresholds ascending; `above[i]` the bits of thresholds[i:], `upto[i]` of [:i]."""

    thresholds: tuple[Any, ...]
    above: tuple[int, ...]
    upto: tuple[int, ...]

    @classmethod
    def of(cls, bits: dict[Any, int]) -> _Sorted:
        ordered = sorted(bits)
        masks = [bits[t] for t in ordered]
        above = tuple(_union(masks[i:]) for i in range(len(ordered) + 1))
        upto = tuple(_union(masks[:i]) for i in range(len(ordered) + 1))
        return cls(tuple(ordered), above, upto)

    def greater_than(self, value: Any) -> int:
        return self.above[bisect_right(self.thresholds, value)]

    def at_most(self, value: Any) -> int:
        return self.upto[bisect_right(self.thresholds, value)]


def _missing(bits: dict[frozenset[Any], int], values: Iterable[Any]) -> dict[Any, int]:
    """For each value some set holds, the bits of the sets that do not hold it (any other
    value fails them all)."""
    everything = _union(bits.values())
    return {v: everything & ~_union(b for s, b in bits.items() if v in s) for v in values}


def _known(bits: dict[frozenset[Any], int]) -> set[Any]:
    return {v for s in bits for v in s}


class ConditionBits:
    """Built once per set of active campaigns; `failed` runs for every order."""

    def __init__(self, campaigns: Sequence[Campaign]) -> None:
        order = {reason: i for i, reason in enumerate(REASONS)}
        distinct = {cond for c in campaigns for cond in conditions_of(c)}
        ranked = sorted(distinct, key=lambda cond: order[cond[0]])  # stable within a reason
        self.bit: dict[Condition, int] = {cond: 1 << i for i, cond in enumerate(ranked)}
        bit = self.bit
        self.starts = _Sorted.of(_bits(bit, "not_started"))
        self.ends = _Sorted.of(_bits(bit, "ended"))
        self.totals = _Sorted.of(_bits(bit, "min_total"))
        self.days = _Sorted.of(_bits(bit, "days_since_enrolment"))
        self.every_days = _union(_bits(bit, "days_since_enrolment").values())
        self.lookups = []
        for reason in ("channel", "store", "tier"):
            sets = _bits(bit, reason)
            self.lookups.append((reason, _missing(sets, _known(sets)), _union(sets.values())))
        self.segments = _bits(bit, "segment")
        self.every_segment = _union(self.segments.values())
        self.first_purchase = bit.get(("first_purchase_only", True), 0)
        self.consent = bit.get(("no_marketing_consent", True), 0)
        self.birthday = bit.get(("birthday_month", True), 0)
        weekdays = _bits(bit, "day_of_week")
        self.weekday = _missing(weekdays, range(1, 8)) if weekdays else {}
        windows = _bits(bit, "hour")
        self.hour = [_union(b for w, b in windows.items() if not w.contains(h)) for h in range(24)]
        self.local = bool(self.birthday or weekdays or windows)
        # Every (categories, SKUs) filter: its bit (0 when only a multiplier's base needs it)
        keys = {line_key(c) for c in campaigns} | set(_bits(bit, "no_matching_lines"))
        self.line_keys = {key: i for i, key in enumerate(keys)}
        self.line_bits = [
            (cats, skus, bit.get(("no_matching_lines", (cats, skus)), 0))
            for cats, skus in self.line_keys
        ]

    def failed(self, purchase: Purchase) -> int:
        """The bits of every condition the purchase does not meet."""
        when, member = purchase.occurred_at, purchase.member
        failed = self.starts.greater_than(when) | self.ends.at_most(when)
        failed |= self.lookups[0][1].get(purchase.channel, self.lookups[0][2])
        failed |= self.lookups[1][1].get(purchase.store_id, self.lookups[1][2])
        failed |= self.lookups[2][1].get(member.tier_code, self.lookups[2][2])
        if self.every_segment:
            held = _union(self.segments.get(s, 0) for s in member.segments)
            failed |= self.every_segment & ~held
        failed |= self.totals.greater_than(purchase.total)
        if self.first_purchase and not member.first_purchase:
            failed |= self.first_purchase
        if self.every_days:
            enrolled = member.enrolled_at
            if enrolled is None:
                failed |= self.every_days
            else:
                failed |= self.days.greater_than((when - enrolled).days)
        if self.local:
            local = when.astimezone(purchase.tz)
            if self.birthday and member.birth_month != local.month:
                failed |= self.birthday
            failed |= self.weekday.get(local.isoweekday(), 0) | self.hour[local.hour]
        if self.consent and not member.marketing_consent:
            failed |= self.consent
        return failed

    def lines(self, purchase: Purchase) -> tuple[int, list[int]]:
        """The bits of the line filters no line meets, and each filter's base points."""
        failed, bases, lines = 0, [], purchase.lines
        for cats, skus, bit in self.line_bits:
            base, matched = 0, False
            for line in lines:
                if (not cats or line.category in cats) and (not skus or line.sku in skus):
                    base += line.base_points
                    matched = True
            if bit and not matched:
                failed |= bit
            bases.append(base)
        return failed, bases
