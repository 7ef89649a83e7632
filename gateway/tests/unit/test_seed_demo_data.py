"""The demo tenant's history: the same on every fresh demo, inside what the points service
accepts, and with campaigns that start before it."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from gateway.seed.data import STORES
from gateway.seed.demo_data import HISTORY_DAYS, MEMBERS, SEED, campaigns, members, orders

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


def test_the_demo_history_is_the_same_on_every_fresh_demo() -> None:
    first, second = random.Random(SEED), random.Random(SEED)
    assert orders(first, members(first, STORES), NOW) == orders(
        second, members(second, STORES), NOW
    )


def test_every_order_lies_within_the_points_services_catch_up_window() -> None:
    rng = random.Random(SEED)
    people = members(rng, STORES)
    placed = orders(rng, people, NOW)
    assert len(people) == MEMBERS
    assert len(placed) > 2 * MEMBERS
    assert all(NOW - timedelta(days=30) < o.occurred_at < NOW for o in placed)
    assert len({o.order_id for o in placed}) == len(placed)
    assert all(o.total > 0 for o in placed)


def test_the_demo_campaigns_started_before_the_history_and_one_holds_out_members() -> None:
    defined = campaigns(NOW)
    assert {d.trigger for d in defined} == {"purchase", "enrollment", "birthday"}
    earliest = NOW - timedelta(days=HISTORY_DAYS)
    assert all(d.starts_at.ToDatetime(tzinfo=UTC) < earliest for d in defined)
    assert any(d.holdout_percent > 0 for d in defined)
