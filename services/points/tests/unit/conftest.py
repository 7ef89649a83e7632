"""A fake unit of work with the demo tenant's earning rule, and a clock tests can move."""

from __future__ import annotations

from decimal import Decimal

import pytest

from libs.clock import FakeClock
from services.points.domain.earning import EarningRule
from services.points.tests.fakes import FakeUnitOfWork

TENANT = "demo"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


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
