"""What an order keeps of its campaign evaluation: pure rules, no storage."""

from __future__ import annotations

from services.points.domain.accrual import CampaignBonus, EarningLine, Source
from services.points.domain.campaign_results import (
    AppliedCampaign,
    CampaignAnswer,
    CampaignResults,
    EffectKind,
    SkippedCampaign,
    applied_campaigns,
    results_of,
)

TOO_SMALL = SkippedCampaign("c-big-basket", 3, "min_total")


def test_an_answer_keeps_its_skipped_campaigns_and_its_coupons_but_not_its_points_effects() -> None:
    answer = CampaignAnswer(
        bonuses=(
            CampaignBonus("c-shoes", 2, 299, "Double points on shoes", "hold-1"),
            CampaignBonus("c-welcome-coupon", 1, 0, "A coupon for the next visit", "hold-2"),
        ),
        skipped=(TOO_SMALL,),
    )
    results = results_of(answer)
    assert results.skipped == (TOO_SMALL,)
    assert results.coupons == (
        AppliedCampaign("c-welcome-coupon", 1, 0, EffectKind.COUPON, "A coupon for the next visit"),
    )


def test_the_applied_campaigns_are_the_breakdowns_campaign_lines_then_the_coupons() -> None:
    coupon = AppliedCampaign("c-coupon", 4, 0, EffectKind.COUPON, "Coupon")
    breakdown = (
        EarningLine(Source.BASE, 398, "1 point per CNY 1"),
        EarningLine(Source.TIER, 99, "Silver tier"),
        EarningLine(Source.CAMPAIGN, 299, "Double points on shoes (v2)", "c-shoes", 2),
    )
    applied = applied_campaigns(breakdown, CampaignResults(coupons=(coupon,)))
    assert [(a.campaign_id, a.campaign_version, a.points, a.kind) for a in applied] == [
        ("c-shoes", 2, 299, EffectKind.POINTS),
        ("c-coupon", 4, 0, EffectKind.COUPON),
    ]


def test_an_order_without_campaign_lines_or_coupons_applied_none() -> None:
    breakdown = (EarningLine(Source.BASE, 10, "base"),)
    assert applied_campaigns(breakdown, CampaignResults(skipped=(TOO_SMALL,))) == ()
