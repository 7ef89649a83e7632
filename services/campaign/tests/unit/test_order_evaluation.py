"""Evaluating a purchase against the active purchase campaigns."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from libs.errors import InvalidArgument
from services.campaign.domain.evaluation import (
    Conditions,
    Effect,
    OrderFacts,
    PricedLine,
    PurchaseCampaign,
    evaluate,
)
from services.campaign.handlers.evaluation import EvaluateOrder, evaluate_order

AT = datetime(2026, 11, 25, 2, 15, tzinfo=UTC)
ORDER = OrderFacts(
    member_id="m1",
    tier_code="gold",
    channel="pos",
    store_id="S001",
    occurred_at=AT,
    total=Decimal("398.00"),
    lines=(
        PricedLine("SHOE-1", "shoes", 1, Decimal("299.00"), 299),
        PricedLine("SOCK-2", "accessories", 1, Decimal("99.00"), 99),
    ),
)
SHOES = PurchaseCampaign(
    campaign_id="c-shoes",
    name="Double points on shoes",
    version=2,
    starts_at=AT - timedelta(days=1),
    ends_at=AT + timedelta(days=6),
    conditions=Conditions(categories=frozenset({"shoes"}), channels=frozenset({"pos"})),
    effect=Effect("multiplier", factor=Decimal(2)),
)


def test_a_multiplier_applies_to_the_base_points_of_the_matching_lines() -> None:
    effects, skipped = evaluate([SHOES], ORDER)
    assert [(e.campaign_id, e.campaign_version, e.points) for e in effects] == [("c-shoes", 2, 299)]
    assert skipped == []


def test_a_bonus_points_effect_grants_its_points_once_per_order() -> None:
    welcome = replace(SHOES, conditions=Conditions(), effect=Effect("bonus_points", points=50))
    assert [e.points for e in evaluate([welcome], ORDER)[0]] == [50]


@pytest.mark.parametrize(
    ("campaign", "reason"),
    [
        (replace(SHOES, starts_at=AT + timedelta(seconds=1)), "not_started"),
        (replace(SHOES, ends_at=AT), "ended"),
        (replace(SHOES, effect=None), "no_effect"),
        (replace(SHOES, effect=Effect("coupon")), "not_points"),
        (replace(SHOES, limited=True), "limits_not_enforced_yet"),
        (replace(SHOES, conditions=Conditions(channels=frozenset({"app"}))), "channel"),
        (replace(SHOES, conditions=Conditions(store_ids=frozenset({"S002"}))), "store"),
        (replace(SHOES, conditions=Conditions(tiers=frozenset({"silver"}))), "tier"),
        (replace(SHOES, conditions=Conditions(min_total=Decimal("398.01"))), "min_total"),
        (
            replace(SHOES, conditions=Conditions(categories=frozenset({"hats"}))),
            "no_matching_lines",
        ),
    ],
)
def test_a_campaign_the_order_does_not_qualify_for_is_skipped_with_its_reason(
    campaign: PurchaseCampaign, reason: str
) -> None:
    effects, skipped = evaluate([campaign], ORDER)
    assert effects == []
    assert [(s.campaign_id, s.reason) for s in skipped] == [("c-shoes", reason)]


class Campaigns:
    def __init__(self, *campaigns: PurchaseCampaign) -> None:
        self.campaigns = list(campaigns)

    async def active_purchase_campaigns(self, tenant_id: str) -> list[PurchaseCampaign]:
        return self.campaigns if tenant_id == "demo" else []


async def test_the_handler_reads_the_tenants_campaigns_and_checks_the_amounts() -> None:
    command = EvaluateOrder(
        "demo",
        "m1",
        "gold",
        "pos",
        "S001",
        AT,
        "398.00",
        [("SHOE-1", "shoes", 1, "299.00", 299)],
    )
    effects, _ = await evaluate_order(command, Campaigns(SHOES))
    assert [e.points for e in effects] == [299]
    assert await evaluate_order(replace(command, tenant_id="sandbox"), Campaigns(SHOES)) == ([], [])
    with pytest.raises(InvalidArgument, match="total"):
        await evaluate_order(replace(command, total="lots"), Campaigns(SHOES))
    with pytest.raises(InvalidArgument, match="occurred_at"):
        await evaluate_order(replace(command, occurred_at=None), Campaigns(SHOES))
