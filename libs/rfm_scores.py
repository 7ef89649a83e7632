"""The RFM grid's fixed score boundaries, shared by the analytics report that places
members in cells and the campaign service's segments made of a cell. Plain Python.

Recency is the days since the last purchase, frequency the orders and monetary value the
net spend (in cents) within a range; each is scored 1 to 5. `cell_rules` turns a cell's
three scores into the bounds a segment needs to hold the same members over a rolling
window ending now."""

from __future__ import annotations

from dataclasses import dataclass

# A score's lower bounds, from score 2 up (score 1 is below the first).
RECENCY_DAYS = (180, 90, 30, 7)  # at most this many days since: R2 ≤180 … R5 ≤7
FREQUENCY_ORDERS = (2, 3, 5, 10)  # F1 1, F2 2, F3 3-4, F4 5-9, F5 10+
MONETARY_CENTS = (100_00, 300_00, 1_000_00, 3_000_00)  # M1 <100, M2 <300, M3 <1,000, M4 <3,000
SCORES = range(1, 6)


def recency_score(days: int) -> int:
    return 1 + sum(1 for bound in RECENCY_DAYS if days <= bound)


def frequency_score(orders: int) -> int:
    return 1 + sum(1 for bound in FREQUENCY_ORDERS if orders >= bound)


def monetary_score(cents: int) -> int:
    return 1 + sum(1 for bound in MONETARY_CENTS if cents >= bound)


@dataclass(frozen=True)
class CellRules:
    """A cell's bounds, each None when that side is open. Recency: bought within the last
    `recency_days` and not within the last `min_days_since_purchase`; frequency and
    monetary value over the last `window_days` (spend in cents, both ends inclusive)."""

    window_days: int
    recency_days: int | None
    min_days_since_purchase: int | None
    min_orders: int
    max_orders: int | None
    min_spend_cents: int | None
    max_spend_cents: int | None


def _score(value: int, name: str) -> int:
    if value not in SCORES:
        raise ValueError(f"{name}: a score from 1 to 5")
    return value


def cell_rules(recency: int, frequency: int, monetary: int, window_days: int) -> CellRules:
    """The bounds of the cell (recency, frequency, monetary) over `window_days` ending now.

    Recency score r holds the days up to its own bound and beyond the next score's, so
    consecutive cells meet without a gap or an overlap."""
    r = _score(recency, "recency")
    f = _score(frequency, "frequency")
    m = _score(monetary, "monetary")
    if window_days < 1:
        raise ValueError("window_days: 1 or more")
    recency_upper = (None, *RECENCY_DAYS)  # by score 1..5: at most this many days
    orders_lower = (1, *FREQUENCY_ORDERS)
    spend_lower = (None, *MONETARY_CENTS)
    return CellRules(
        window_days=window_days,
        recency_days=recency_upper[r - 1],
        min_days_since_purchase=recency_upper[r] if r < 5 else None,
        min_orders=orders_lower[f - 1],
        max_orders=orders_lower[f] - 1 if f < 5 else None,
        min_spend_cents=spend_lower[m - 1],
        max_spend_cents=MONETARY_CENTS[m - 1] - 1 if m < 5 else None,
    )
