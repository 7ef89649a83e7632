"""A purchase reads the earning rule from memory: once per few seconds, not per order."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from libs.clock import FakeClock
from services.points.handlers.earning import accrue_order
from services.points.handlers.rule_cache import RuleCache
from services.points.tests.fakes import FakeCampaigns, FakeUnitOfWork
from services.points.tests.unit.conftest import TENANT
from services.points.tests.unit.test_accrue_order import an_order


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_orders_within_the_ttl_use_the_remembered_rule_and_a_later_one_reads_it_again(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    ticks = Ticks()
    rules = RuleCache(ttl=5, monotonic=ticks)
    first = await accrue_order(an_order(clock, "O-1"), uow, FakeCampaigns(), clock, rules)
    doubled = dataclasses.replace(uow.state.rules[TENANT], points_per_unit=Decimal(2))
    uow.state.rules[TENANT] = doubled
    ticks.now = 4.9
    same = await accrue_order(an_order(clock, "O-2"), uow, FakeCampaigns(), clock, rules)
    ticks.now = 5.0
    later = await accrue_order(an_order(clock, "O-3"), uow, FakeCampaigns(), clock, rules)
    earned = [a.accrual.breakdown[0].points for a in (first, same, later)]
    assert earned == [398, 398, 796]


async def test_a_forgotten_rule_is_read_again_at_once(uow: FakeUnitOfWork) -> None:
    rules = RuleCache(ttl=60, monotonic=Ticks())
    assert await rules.get(TENANT, uow) == uow.state.rules[TENANT]
    changed = dataclasses.replace(uow.state.rules[TENANT], version=2)
    uow.state.rules[TENANT] = changed
    assert await rules.get(TENANT, uow) != changed
    rules.forget(TENANT)
    assert await rules.get(TENANT, uow) == changed


async def test_a_tenant_without_a_rule_is_not_remembered_as_having_none(
    uow: FakeUnitOfWork,
) -> None:
    rules = RuleCache(ttl=60, monotonic=Ticks())
    assert await rules.get("other", uow) is None
    uow.state.rules["other"] = uow.state.rules[TENANT]
    assert await rules.get("other", uow) == uow.state.rules[TENANT]
