"""Active purchase campaigns read from the campaigns collection for order evaluation."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from libs.mongo import Database, Doc
from services.campaign.adapters.repositories import CAMPAIGNS
from services.campaign.domain.campaigns import CampaignStatus, Trigger
from services.campaign.domain.evaluation import Conditions, Effect, PurchaseCampaign


def _decimal(value: Any) -> Decimal | None:
    """Stored numbers may be strings, integers or (from JSON) floats: read each exactly as
    written, never through binary floating point arithmetic."""
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def conditions_from_doc(doc: Doc | None) -> Conditions:
    doc = doc or {}
    return Conditions(
        channels=frozenset(doc.get("channels") or ()),
        store_ids=frozenset(doc.get("store_ids") or ()),
        categories=frozenset(doc.get("categories") or ()),
        tiers=frozenset(doc.get("tiers") or ()),
        min_total=_decimal(doc.get("min_total")),
    )


def effect_from_doc(doc: Doc | None) -> Effect | None:
    if not doc or not doc.get("type"):
        return None
    factor = _decimal(doc.get("factor")) or Decimal(1)
    points = doc.get("points")
    return Effect(str(doc["type"]), factor, points if isinstance(points, int) else 0)


def purchase_campaign_from_doc(doc: Doc) -> PurchaseCampaign:
    limits = doc.get("limits") or {}
    limited = bool(doc.get("budget")) or bool(limits) or bool(doc.get("holdout_percent"))
    return PurchaseCampaign(
        campaign_id=doc["_id"],
        name=doc["name"],
        version=doc["version"],
        starts_at=doc.get("starts_at"),
        ends_at=doc.get("ends_at"),
        conditions=conditions_from_doc(doc.get("conditions")),
        effect=effect_from_doc(doc.get("effect")),
        limited=limited,
    )


class MongoPurchaseCampaigns:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def active_purchase_campaigns(self, tenant_id: str) -> list[PurchaseCampaign]:
        query = {
            "tenant_id": tenant_id,
            "status": CampaignStatus.ACTIVE.value,
            "trigger": Trigger.PURCHASE.value,
        }
        return [purchase_campaign_from_doc(doc) async for doc in self._db[CAMPAIGNS].find(query)]
