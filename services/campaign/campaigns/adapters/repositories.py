"""The campaign service's storage over its own MongoDB database."""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING

from libs.languages import Translations
from libs.mongo import Database, Doc
from services.campaign.campaigns.domain.campaigns import CampaignStatus, CampaignSummary, Trigger

CAMPAIGNS = "campaigns"


async def ensure_indexes(db: Database) -> None:
    await db[CAMPAIGNS].create_index(
        [("tenant_id", ASCENDING), ("status", ASCENDING), ("created_at", DESCENDING)]
    )


def summary_from_doc(doc: Doc) -> CampaignSummary:
    return CampaignSummary(
        campaign_id=doc["_id"],
        name=doc["name"],
        trigger=Trigger(doc["trigger"]),
        status=CampaignStatus(doc["status"]),
        version=doc["version"],
        starts_at=doc.get("starts_at"),
        ends_at=doc.get("ends_at"),
        translations=Translations.of(doc.get("translations") or {}),
    )


class MongoCampaignReader:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def list_campaigns(
        self, tenant_id: str, status: CampaignStatus | None, limit: int
    ) -> list[CampaignSummary]:
        query: Doc = {"tenant_id": tenant_id}
        if status is not None:
            query["status"] = status.value
        cursor = self._db[CAMPAIGNS].find(query).sort("created_at", DESCENDING).limit(limit)
        return [summary_from_doc(doc) async for doc in cursor]
