"""Budget leases over real MongoDB after the database was away: no lease closes before its
orders' events had their grace to come, so nothing granted goes back to the budget."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from libs.mongo import Database
from services.campaign.campaigns.adapters.lease_store import MongoLeases
from services.campaign.campaigns.adapters.leases import LeasedBudgets
from services.campaign.campaigns.adapters.results import MongoResults
from services.campaign.campaigns.domain.lifecycle import rules_of
from services.campaign.tests.integration.lease_support import (
    GRACE,
    NOW,
    WINDOW,
    Clock,
    campaign_of,
    counted_and_added_up,
    credit,
    db,
    process,
)

__all__ = ["db"]  # the fixture


class FlakyLeases(MongoLeases):
    """The lease store, with the database away: `failing` sweeps fail at once, and the
    next `held_up` ones wait for it to come back (`clock` moves on meanwhile)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        super().__init__(db)
        self.clock = clock
        self.failing = 0
        self.held_up = 0

    async def due(self, now: datetime, limit: int = 200) -> list[str]:
        if self.failing:
            self.failing -= 1
            raise ConnectionError("database away")
        if self.held_up:
            self.held_up -= 1
            self.clock.now += WINDOW
        return await super().due(now, limit)


@pytest.mark.parametrize("outage", ["failing", "held_up"])
async def test_after_a_database_outage_no_lease_closes_before_its_events_had_a_grace_to_come(
    db: Database, outage: str
) -> None:
    record, campaign_id = campaign_of(budget=10)
    clock = Clock()
    store = FlakyLeases(db, clock)
    budgets = LeasedBudgets(store, clock, owner="p1", window=WINDOW, grace=GRACE)
    hold = await budgets.reserve("t1", "o1", rules_of(record), points=10, now=NOW)
    setattr(store, outage, 1)  # the order commits; its event waits for the database too
    clock.now = NOW + WINDOW + GRACE + timedelta(seconds=1)
    if outage == "failing":
        with pytest.raises(ConnectionError):
            await budgets.sweep()
        clock.now += timedelta(seconds=2)
    await budgets.sweep()  # the database is back (held up, this sweep waited for it)
    other = process(db, clock, owner="p2")
    late = await other.reserve("t1", "o2", rules_of(record), points=10, now=clock.now)
    await credit(db, hold)
    clock.now += GRACE
    await budgets.sweep()

    assert late.refused == "budget_exhausted"
    results = await MongoResults(db).results(record)
    assert (results.points_granted, results.points_reserved, results.budget_left) == (10, 0, 0)
    counted, added_up = await counted_and_added_up(db, campaign_id)
    assert counted == added_up
