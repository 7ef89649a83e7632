"""The arithmetic of budget leases (domain/leases.py): a slice of a budget spent in memory,
given back by its owner, by refunds and by closing, never granting more than its size."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from services.campaign.campaigns.domain.leases import (
    Lease,
    closing_return,
    granted_size,
    is_lease,
    wanted_size,
)

NOW = datetime(2026, 12, 6, 23, 0, tzinfo=UTC)
LATER = NOW + timedelta(seconds=10)


def lease(size: int | None = 100) -> Lease:
    return Lease("lse_1", "c1", size, spend_until=LATER)


def test_a_lease_allots_up_to_its_size_and_the_last_grant_takes_what_is_left() -> None:
    slice_ = lease(25)

    taken = [slice_.allot(10, NOW) for _ in range(4)]

    assert taken == [10, 10, 5, 0]
    assert slice_.left() == 0


def test_a_lease_past_its_window_or_retired_allots_nothing() -> None:
    late, retired = lease(), lease()
    retired.retire()

    assert late.allot(10, LATER) == 0
    assert retired.allot(10, NOW) == 0


def test_retiring_gives_back_what_was_never_allotted() -> None:
    slice_ = lease(100)
    slice_.allot(30, NOW)

    assert slice_.retire() == 70


def test_a_refunded_allotment_can_be_allotted_again() -> None:
    slice_ = lease(20)
    slice_.allot(20, NOW)

    slice_.refund(20)

    assert slice_.allot(15, NOW) == 15


def test_a_lease_of_a_campaign_without_a_budget_allots_whatever_is_asked_and_returns_nothing() -> (
    None
):
    unbounded = lease(None)

    assert unbounded.allot(10_000, NOW) == 10_000
    assert unbounded.retire() == 0
    assert closing_return(None, granted=5, returned=0) == 0


def test_the_counter_gives_at_most_what_is_left_of_the_budget() -> None:
    assert granted_size(200, budget=1000, used=900) == 100
    assert granted_size(200, budget=1000, used=1000) == 0
    assert granted_size(200, budget=1000, used=0) == 200
    assert granted_size(200, budget=None, used=0) is None


def test_a_lease_asks_for_many_grants_of_the_order_that_found_none() -> None:
    assert wanted_size(10) == 200
    assert wanted_size(0) == 20


def test_closing_gives_back_everything_neither_granted_nor_given_back_already() -> None:
    assert closing_return(100, granted=30, returned=50) == 20
    assert closing_return(100, granted=30, returned=70) == 0


def test_lease_ids_are_told_from_hold_ids() -> None:
    assert is_lease("lse_01JF")
    assert not is_lease("demo:o1:c1")


@pytest.mark.parametrize("seed", range(30))
def test_any_interleaving_of_grants_refunds_retirement_and_close_accounts_for_the_lease_exactly(
    seed: int,
) -> None:
    """A model of one lease and its orders: each allotted order either commits with its
    bonus (its event confirms it), is credited without it (refunded), or is lost (its
    process died, the call was cancelled); the owner may retire the lease at any point,
    closing comes last. Granted never exceeds the size, and after closing
    granted + returned == size."""
    rng = random.Random(seed)
    size = rng.randint(1, 200)
    slice_ = lease(size)
    granted = returned = 0
    outstanding: list[int] = []
    for _ in range(rng.randint(1, 60)):
        step = rng.random()
        if step < 0.5:
            taken = slice_.allot(rng.randint(1, 30), NOW)
            if taken:
                outstanding.append(taken)
        elif step < 0.7 and outstanding:
            granted += outstanding.pop(rng.randrange(len(outstanding)))
        elif step < 0.8 and outstanding:
            points = outstanding.pop(rng.randrange(len(outstanding)))
            if slice_.retired:
                returned += points  # to the budget
            else:
                slice_.refund(points)  # to the lease
        elif step < 0.9 and outstanding:
            outstanding.pop(rng.randrange(len(outstanding)))  # lost: only closing finds it
        elif not slice_.retired:
            returned += slice_.retire()
        assert granted <= size
        assert granted + returned + sum(outstanding) <= size
    if not slice_.retired:
        returned += slice_.retire()
    granted += sum(outstanding[: len(outstanding) // 2])  # late events, before closing
    returned += closing_return(size, granted, returned)

    assert granted + returned == size


def test_a_lease_is_in_use_while_it_allotted_lately() -> None:
    slice_ = lease()
    assert not slice_.in_use(NOW, timedelta(seconds=5))

    slice_.allot(10, NOW)

    assert slice_.in_use(NOW + timedelta(seconds=4), timedelta(seconds=5))
    assert not slice_.in_use(NOW + timedelta(seconds=5), timedelta(seconds=5))


def test_a_lease_with_a_quarter_left_is_worth_spending_longer() -> None:
    full, low, unbounded = lease(100), lease(100), lease(None)
    full.allot(75, NOW)
    low.allot(76, NOW)

    assert full.worth_extending()
    assert not low.worth_extending()
    assert unbounded.worth_extending()
