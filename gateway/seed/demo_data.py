"""What the demo tenant's history is made of: a few realistic campaigns, a small catalogue
and members who buy now and then. Drawn from a fixed random seed, so every fresh demo
looks the same."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from libs.timestamps import timestamp
from loyalty.campaign.v1 import campaign_admin_pb2 as apb

SEED = 20261125
MEMBERS = 200
# The points service takes orders up to 30 days old (tills catching up); the history
# stays just inside that.
HISTORY_DAYS = 29
SHOES = "Double points on shoes"
CATALOGUE: tuple[tuple[str, str, Decimal], ...] = (
    ("SHOE-RUN-1", "shoes", Decimal("599.00")),
    ("SHOE-WALK-2", "shoes", Decimal("399.00")),
    ("SHOE-KID-3", "shoes", Decimal("249.00")),
    ("TEE-1", "apparel", Decimal("99.00")),
    ("JACKET-2", "apparel", Decimal("459.00")),
    ("SOCK-3", "accessories", Decimal("29.00")),
    ("CAP-4", "accessories", Decimal("79.00")),
    ("BAG-5", "bags", Decimal("299.00")),
)
CHANNELS = ("pos", "pos", "pos", "ecommerce", "miniprogram", "app")


def campaigns(now: datetime) -> list[apb.CampaignDefinition]:
    """Started before the history begins, so the seeded orders earn their bonuses."""
    defined = [
        apb.CampaignDefinition(
            name=SHOES,
            trigger="purchase",
            conditions=apb.CampaignConditions(categories=["shoes"]),
            effect=apb.CampaignEffect(type="multiplier", factor="2"),
            budget_points=60000,
            per_member_limit=3,
            priority=10,
        ),
        apb.CampaignDefinition(
            name="Weekend bonus",
            trigger="purchase",
            conditions=apb.CampaignConditions(days_of_week=[6, 7], min_total="100.00"),
            effect=apb.CampaignEffect(type="bonus_points", points=50),
            budget_points=20000,
            holdout_percent=20,
        ),
        apb.CampaignDefinition(
            name="Welcome bonus",
            trigger="enrollment",
            effect=apb.CampaignEffect(type="bonus_points", points=100),
            per_member_limit=1,
        ),
        apb.CampaignDefinition(
            name="Birthday bonus",
            trigger="birthday",
            effect=apb.CampaignEffect(type="bonus_points", points=200),
            per_member_limit=1,
        ),
    ]
    for definition in defined:
        definition.starts_at.CopyFrom(timestamp(now - timedelta(days=HISTORY_DAYS + 1)))
        definition.ends_at.CopyFrom(timestamp(now + timedelta(days=60)))
    return defined


@dataclass(frozen=True)
class DemoMember:
    phone: str
    name: str
    birthday: str
    channel: str
    store_id: str
    marketing: bool


@dataclass(frozen=True)
class DemoOrder:
    member_index: int
    order_id: str
    occurred_at: datetime
    channel: str
    store_id: str
    lines: tuple[tuple[str, str, int, Decimal], ...]

    @property
    def total(self) -> Decimal:
        return sum((price * quantity for _, _, quantity, price in self.lines), Decimal(0))


def members(rng: random.Random, stores: tuple[str, ...]) -> list[DemoMember]:
    return [
        DemoMember(
            phone=f"+8613900{index:06d}",
            name=f"Demo Member {index}",
            birthday=f"{rng.randint(1960, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            channel=rng.choice(CHANNELS),
            store_id=rng.choice(stores),
            marketing=rng.random() < 0.7,
        )
        for index in range(MEMBERS)
    ]


def orders(rng: random.Random, people: list[DemoMember], now: datetime) -> list[DemoOrder]:
    """One to five orders each, a few lapsed buyers with one order early in the month."""
    found = []
    for index, person in enumerate(people):
        for number in range(rng.choice((1, 1, 2, 2, 3, 3, 4))):
            at = now - timedelta(days=rng.uniform(0.1, HISTORY_DAYS))
            picked = rng.sample(CATALOGUE, rng.choice((1, 1, 2, 3)))
            found.append(
                DemoOrder(
                    member_index=index,
                    order_id=f"DEMO-{index:04d}-{number}",
                    occurred_at=at,
                    channel=person.channel,
                    store_id=person.store_id if person.channel == "pos" else "",
                    lines=tuple(
                        (sku, cat, rng.choice((1, 1, 2)), price) for sku, cat, price in picked
                    ),
                )
            )
    return found
