"""Campaign records in the campaigns collection; every version's rules kept in
campaign_versions, so a grant's version can always be explained."""

from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from libs.errors import AlreadyExists
from libs.mongo import Database, Session
from services.campaign.campaigns.adapters.documents import record_doc, record_from
from services.campaign.campaigns.adapters.repositories import CAMPAIGNS
from services.campaign.campaigns.domain.events import CampaignChanged
from services.campaign.campaigns.domain.lifecycle import CampaignRecord

VERSIONS = "campaign_versions"


class MongoCampaignStore:
    """Bound to a session inside a unit of work, or to none for reads and tests."""

    def __init__(self, db: Database, session: Session | None = None) -> None:
        self._db = db
        self._session = session

    async def _keep_version(self, record: CampaignRecord) -> None:
        doc = record_doc(record)
        doc["campaign_id"] = doc["_id"]
        doc["_id"] = f"{record.campaign_id}:v{record.version}"
        await self._db[VERSIONS].replace_one(
            {"_id": doc["_id"]}, doc, upsert=True, session=self._session
        )

    async def add(self, record: CampaignRecord) -> None:
        try:
            await self._db[CAMPAIGNS].insert_one(record_doc(record), session=self._session)
        except DuplicateKeyError:
            raise AlreadyExists(f"campaign {record.campaign_id} exists") from None
        await self._keep_version(record)

    async def get(self, tenant_id: str, campaign_id: str) -> CampaignRecord | None:
        doc = await self._db[CAMPAIGNS].find_one(
            {"_id": campaign_id, "tenant_id": tenant_id}, session=self._session
        )
        return None if doc is None else record_from(doc)

    async def replace(self, record: CampaignRecord, expected: CampaignRecord) -> bool:
        guard = {
            "_id": expected.campaign_id,
            "tenant_id": expected.tenant_id,
            "version": expected.version,
            "status": expected.status.value,
            "updated_at": expected.updated_at,
        }
        outcome = await self._db[CAMPAIGNS].replace_one(
            guard, record_doc(record), session=self._session
        )
        if outcome.matched_count != 1:
            return False
        await self._keep_version(record)
        return True


class MongoCampaignRepositories:
    """The campaign store of one unit of work, with the events its change records."""

    def __init__(self, db: Database, session: Session | None) -> None:
        self.campaigns = MongoCampaignStore(db, session)
        self.events: list[CampaignChanged] = []
