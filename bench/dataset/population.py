"""Who the benchmark's members are: identities, enrolment and purchase history, derived
from the member's index so that every run builds the same shape of tenant."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

CHANNELS = ("pos", "pos", "ecommerce", "miniprogram", "app")
STORES = ("S001", "S002", "S003")
CATEGORIES = ("shoes", "apparel", "accessories", "beauty", "home")
# Members whose lots from over two years ago are due for the expiry job.
EXPIRING_SHARE = 0.05
# The first members are "house" accounts with large balances, for redemption contention.
HOUSE_MEMBERS = 10


def phone_of(index: int) -> str:
    return f"+86139{index:08d}"


@dataclass(frozen=True)
class PastOrder:
    order_id: str
    channel: str
    store_id: str
    occurred_at: datetime
    lines: tuple[tuple[str, str, int, Decimal], ...]

    @property
    def total(self) -> Decimal:
        return sum((qty * price for _, _, qty, price in self.lines), Decimal(0))


@dataclass(frozen=True)
class Profile:
    index: int
    channel: str
    store_id: str
    enrolled_at: datetime
    identities: tuple[tuple[str, str], ...]
    marketing: bool
    orders: tuple[PastOrder, ...]


def _order(index: int, k: int, at: datetime, rng: random.Random, house: bool) -> PastOrder:
    channel = rng.choice(CHANNELS)
    lines = tuple(
        (f"SKU-{rng.randrange(500):03}", rng.choice(CATEGORIES), rng.randint(1, 2), price)
        for price in (Decimal(rng.randrange(20, 400)) for _ in range(rng.randint(1, 3)))
    )
    if house:
        lines = (("GIFT-CARD", "home", 1, Decimal("500000")),)
    store = rng.choice(STORES) if channel == "pos" else ""
    return PastOrder(f"H{index:07}-{k}", channel, store, at, lines)


def profile(index: int, now: datetime) -> Profile:
    """Member `index`: one to two identities, 0-4 past orders (about 1.5 on average)."""
    rng = random.Random(index)
    expiring = rng.random() < EXPIRING_SHARE
    enrolled_at = now - timedelta(days=rng.randint(800, 1000) if expiring else rng.randint(30, 700))
    channel = rng.choice(CHANNELS)
    identities: tuple[tuple[str, str], ...] = (("phone", phone_of(index)),)
    if index % 2 == 0:
        identities += (("email", f"member{index}@bench.example"),)
    span = (now - enrolled_at).total_seconds()
    times = sorted(enrolled_at + timedelta(seconds=rng.random() * span) for _ in range(index % 4))
    if expiring:
        times.insert(0, now - timedelta(days=rng.randint(745, 790)))
    house = index < HOUSE_MEMBERS
    if house:
        times.append(now - timedelta(days=1))
    orders = tuple(
        _order(index, k, at, rng, house and k == len(times) - 1) for k, at in enumerate(times)
    )
    store = rng.choice(STORES) if channel == "pos" else ""
    return Profile(index, channel, store, enrolled_at, identities, rng.random() < 0.6, orders)
