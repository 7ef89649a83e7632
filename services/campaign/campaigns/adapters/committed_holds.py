"""Committed grant holds read for their campaign's coupon effect, and marked once checked.

The hold names its campaign's version, whose kept rules (campaign_versions) say whether
the effect is a coupon and of which template."""

from __future__ import annotations

from collections.abc import Sequence

from pymongo import ASCENDING

from libs.mongo import Database, Doc
from services.campaign.campaigns.adapters.campaign_store import VERSIONS
from services.campaign.campaigns.adapters.reservations import RESERVATIONS
from services.campaign.campaigns.domain.committed_holds import CommittedHold
from services.campaign.campaigns.domain.rules import EffectType
from services.campaign.coupons.domain.issues import CouponIssue

CHECKED = "coupon_checked"


async def ensure_committed_hold_indexes(db: Database) -> None:
    """The sweep finds the few committed holds not checked yet among all the others."""
    await db[RESERVATIONS].create_index(
        [("state", ASCENDING), (CHECKED, ASCENDING)], name="state_coupon_checked"
    )


class MongoCommittedHolds:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def unchecked(
        self, *, tenant_id: str = "", hold_ids: Sequence[str] = (), limit: int = 200
    ) -> list[CommittedHold]:
        query: Doc = {"state": "committed", CHECKED: {"$exists": False}}
        if tenant_id:
            query["tenant_id"] = tenant_id
        if hold_ids:
            query["_id"] = {"$in": list(hold_ids)}
        holds = await self._db[RESERVATIONS].find(query, limit=limit).to_list()
        return [CommittedHold(h["_id"], await self._coupon_of(h)) for h in holds]

    async def _coupon_of(self, hold: Doc) -> CouponIssue | None:
        campaign_id, version = hold["campaign_id"], int(hold["campaign_version"])
        rules = await self._db[VERSIONS].find_one({"_id": f"{campaign_id}:v{version}"}) or {}
        effect = rules.get("effect") or {}
        if effect.get("type") != EffectType.COUPON.value or not effect.get("template_id"):
            return None
        return CouponIssue(
            tenant_id=hold["tenant_id"],
            member_id=hold["member_id"],
            template_id=effect["template_id"],
            issue_key=f"{campaign_id}:{hold['order_id']}",
            campaign_id=campaign_id,
            campaign_version=version,
        )

    async def checked(self, hold_id: str, coupon_id: str) -> None:
        await self._db[RESERVATIONS].update_one(
            {"_id": hold_id}, {"$set": {CHECKED: True, "coupon_id": coupon_id}}
        )
