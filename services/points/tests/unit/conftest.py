"""A fake unit of work with the demo tenant's earning rule, and a clock tests can move."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from services.points.domain.earning import EarningRule
from services.points.tests.fakes import FakeUnitOfWork

TENANT = "demo"


class MovableClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 2, 15, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.state.rules[TENANT] = EarningRule(
        currency="CNY",
        points_per_unit=Decimal(1),
        excluded_categories=frozenset({"gift_cards"}),
        expiry_months=24,
        version=1,
    )
    return fake
