"""Refused sign-ins reach the audit trail at the 1st, 10th, 100th... of a tenant's window."""

from __future__ import annotations

from gateway.tenancy.operators.throttle import RefusalCount


def test_refusals_are_recorded_at_each_power_of_ten_of_the_window() -> None:
    count = RefusalCount(window_seconds=60)

    recorded = [count.recorded("t1", now=1.0) for _ in range(1000)]

    assert [n for n in recorded if n is not None] == [1, 10, 100, 1000]


def test_each_tenant_and_each_window_counts_from_one() -> None:
    count = RefusalCount(window_seconds=60)
    count.recorded("t1", now=0.0)
    count.recorded("t1", now=1.0)

    assert count.recorded("t2", now=2.0) == 1
    assert count.recorded("t1", now=3.0) is None
    assert count.recorded("t1", now=61.0) == 1


def test_beyond_its_limit_of_tenants_a_window_records_no_new_tenant() -> None:
    count = RefusalCount(window_seconds=60, tenants=2)
    count.recorded("t1", now=0.0)
    count.recorded("t2", now=0.0)

    assert count.recorded("t3", now=1.0) is None
    assert count.recorded("t3", now=60.0) == 1
