"""A campaign's results from the campaign service read no member: a campaign with a
holdout answers its counters without a comparison (the gateway composes the analytics read
model's), however many members the tenant has."""

from __future__ import annotations

from datetime import timedelta

from libs.timestamps import timestamp
from loyalty.campaign.v1 import campaign_admin_pb2 as apb
from services.campaign.campaigns.adapters.history import FACTS
from tests.integration.bonus_support import ORDERED_AT, Arena, results_of

MEMBERS = 40


async def test_a_holdout_campaigns_results_from_the_campaign_service_load_no_member_ids(
    mongo_url: str, nats_url: str, redis_url: str
) -> None:
    arena = Arena({"mongo": mongo_url, "nats": nats_url, "redis": redis_url})
    async with arena.campaign() as campaigns, arena.campaign_database() as db:
        tenant = arena.tenant
        # The members the campaign service knows: its results used to load every one.
        await db[FACTS].insert_many(
            [
                {"_id": f"{tenant}:m{n}", "tenant_id": tenant, "member_id": f"m{n}"}
                for n in range(MEMBERS)
            ]
        )
        definition = apb.CampaignDefinition(
            name="Held out half",
            trigger="purchase",
            starts_at=timestamp(ORDERED_AT - timedelta(days=1)),
            effect=apb.CampaignEffect(type="bonus_points", points=10),
            holdout_percent=50,
        )
        created = await campaigns.CreateCampaign(
            apb.CreateCampaignRequest(tenant_id=tenant, definition=definition)
        )
        campaign_id = created.campaign.campaign_id

        results = await results_of(campaigns, tenant, campaign_id)

    assert created.campaign.results.HasField("holdout") is False
    assert results.HasField("holdout") is False
    assert (results.members_reached, results.points_granted, results.grants) == (0, 0, 0)
