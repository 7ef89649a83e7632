"""Micro-benchmark of the rules engine: microseconds per order against 100 active
campaigns. Run `python -m services.campaign.bench.evaluation`; tests never time it."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from services.campaign.campaigns.domain.engine import CompiledRules
from services.campaign.campaigns.domain.facts import Line, Member, Purchase
from services.campaign.campaigns.domain.rules import (
    Campaign,
    Conditions,
    Effect,
    EffectType,
    HourWindow,
)

AT = datetime(2026, 11, 25, 2, 15, tzinfo=UTC)


def campaigns(count: int) -> list[Campaign]:
    """A mix that exercises every condition. Every one of them applies to `purchase()` (a
    gold member's Wednesday-morning purchase in all three categories), so each order makes
    100 grants: the engine's costliest case."""
    start = AT - timedelta(days=1)
    made = []
    for i in range(count):
        conditions = Conditions(
            channels=frozenset({"pos", "app"}),
            categories=frozenset({f"cat-{i % 3}"}),
            min_total=Decimal("50.00"),
            tiers=frozenset({"gold", "silver"}) if i % 2 else frozenset(),
            days_of_week=frozenset({1, 2, 3, 4, 5}) if i % 5 == 0 else frozenset(),
            hours=HourWindow(8, 22) if i % 7 == 0 else None,
        )
        effect = (
            Effect(EffectType.MULTIPLIER, factor=Decimal("1.5"))
            if i % 2
            else Effect(EffectType.BONUS_POINTS, points=10)
        )
        made.append(
            Campaign(f"c{i:03}", f"campaign {i}", 1, start, None, conditions, effect, priority=i)
        )
    return made


def purchase() -> Purchase:
    lines = tuple(Line(f"SKU-{i}", f"cat-{i}", 1, Decimal("99.00"), 99) for i in range(3))
    member = Member("m1", "gold", AT - timedelta(days=400), 11)
    return Purchase(member, "pos", "S001", AT, Decimal("297.00"), lines, ZoneInfo("Asia/Shanghai"))


def microseconds_per_order(campaign_count: int = 100, orders: int = 2000) -> float:
    """CPU time of this process (one core), so that other work on a shared machine does
    not count as the engine's. The campaigns are compiled once, as the service compiles
    them once per tenant each time its active campaigns are read (`compile_microseconds`)."""
    rules, order = CompiledRules(campaigns(campaign_count)), purchase()
    started = time.process_time()
    for _ in range(orders):
        rules.evaluate(order)
    return (time.process_time() - started) / orders * 1_000_000


def compile_microseconds(campaign_count: int = 100, rounds: int = 20) -> float:
    active = campaigns(campaign_count)
    started = time.process_time()
    for _ in range(rounds):
        CompiledRules(active)
    return (time.process_time() - started) / rounds * 1_000_000


def main() -> None:
    sys.stdout.write(
        f"rules engine, 100 active campaigns: {microseconds_per_order():.1f} µs/order,"
        f" compiled once in {compile_microseconds():.0f} µs\n"
    )


if __name__ == "__main__":
    main()
