"""Composition root of the campaign service: its two contexts, wired apart.

Campaigns issue coupons through the coupons context's `CouponIssuer`; the coupons context
knows nothing of campaigns.
"""

from __future__ import annotations

from libs.runtime import Assembly, Runtime, combined, run_service
from libs.settings import load_settings
from services.campaign.campaigns.entrypoints.wiring import build_campaigns
from services.campaign.coupons.entrypoints.wiring import build_coupons
from services.campaign.settings import CampaignSettings


async def build(runtime: Runtime) -> Assembly:
    settings = runtime.settings
    if not isinstance(settings, CampaignSettings):
        raise TypeError("the campaign service needs CampaignSettings")
    coupons = await build_coupons(runtime)
    campaigns = await build_campaigns(runtime, settings, coupons.issuer)
    return combined(campaigns, coupons.assembly)


def main() -> None:
    run_service("campaign", load_settings(CampaignSettings), build)
