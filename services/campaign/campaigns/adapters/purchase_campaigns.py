"""The active campaigns of a tenant read from the campaigns collection, as the engine runs them."""

from __future__ import annotations

from libs.mongo import Database, Doc
from libs.reasons import translated_names
from services.campaign.campaigns.adapters.documents import definition_from, effect_from
from services.campaign.campaigns.adapters.repositories import CAMPAIGNS
from services.campaign.campaigns.domain.campaigns import CampaignStatus, Trigger
from services.campaign.campaigns.domain.rules import Campaign


def campaign_from_doc(doc: Doc) -> Campaign | None:
    """None for a campaign this version cannot run (no effect it knows)."""
    effect = effect_from(doc.get("effect"))
    if effect is None:
        return None
    d = definition_from(doc, effect)
    return Campaign(
        campaign_id=doc["_id"],
        name=d.name,
        version=doc["version"],
        starts_at=d.starts_at,
        ends_at=d.ends_at,
        conditions=d.conditions,
        effect=d.effect,
        priority=d.priority,
        exclusive=d.exclusive,
        holdout_percent=d.holdout_percent,
        limits=d.limits,
        names=tuple(translated_names(d.translations).items()),
    )


class MongoActiveCampaigns:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def active_campaigns(self, tenant_id: str, trigger: Trigger) -> list[Campaign]:
        query = {"tenant_id": tenant_id, "status": CampaignStatus.ACTIVE.value, "trigger": trigger}
        docs = self._db[CAMPAIGNS].find(query)
        return [c async for doc in docs if (c := campaign_from_doc(doc)) is not None]
