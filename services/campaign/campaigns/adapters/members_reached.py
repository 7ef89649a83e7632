"""Members a campaign reached, for its results, counted from the member facts: each
member's facts list the campaigns that granted them something (`reached`), added in the
transaction that counts the grant. No document per campaign and member is written for
it; a per-member slot (`campaign_member_grants`) exists only where a campaign limits its
rewards per member (reservations.py)."""

from __future__ import annotations

from collections.abc import Iterable

from pymongo import ASCENDING

from libs.mongo import Database, Session
from services.campaign.campaigns.adapters.history import FACTS, REACHED
from services.campaign.campaigns.adapters.repositories import CAMPAIGNS

# Per-member slots of the campaigns with a per-member limit; before the facts listed the
# campaigns that reached a member, every grant also counted `granted` in one.
MEMBER_GRANTS = "campaign_member_grants"


async def ensure_reached_indexes(db: Database) -> None:
    await db[FACTS].create_index([("tenant_id", ASCENDING), (REACHED, ASCENDING)])
    await _copy_old_member_grants(db)


async def mark_reached(
    db: Database,
    session: Session | None,
    tenant_id: str,
    member_id: str,
    campaign_ids: Iterable[str],
) -> None:
    """`member_id` was granted something by each of `campaign_ids` (one write for all)."""
    reached = sorted(set(campaign_ids))
    if not (member_id and reached):
        return
    await db[FACTS].update_one(
        {"_id": f"{tenant_id}:{member_id}"},
        {
            "$addToSet": {REACHED: {"$each": reached}},
            "$setOnInsert": {"tenant_id": tenant_id, "member_id": member_id},
        },
        upsert=True,
        session=session,
    )


async def members_reached(db: Database, tenant_id: str, campaign_id: str) -> int:
    return await db[FACTS].count_documents({"tenant_id": tenant_id, REACHED: campaign_id})


async def _copy_old_member_grants(db: Database, batch: int = 500) -> None:
    """Once: the members reached that earlier versions counted in per-member slots."""
    old = db[MEMBER_GRANTS]
    tenants: dict[str, str] = {}
    while slots := await old.find(
        {"granted": {"$gt": 0}, "reached_copied": {"$ne": True}}, limit=batch
    ).to_list():
        for slot in slots:
            campaign_id = slot["campaign_id"]
            if campaign_id not in tenants:
                campaign = await db[CAMPAIGNS].find_one({"_id": campaign_id}, {"tenant_id": 1})
                tenants[campaign_id] = (campaign or {}).get("tenant_id", "")
            if tenants[campaign_id]:
                await mark_reached(db, None, tenants[campaign_id], slot["member_id"], [campaign_id])
            await old.update_one({"_id": slot["_id"]}, {"$set": {"reached_copied": True}})
