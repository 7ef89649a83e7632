"""Which events the campaign service's trigger consumers have handled (the inbox)."""

from __future__ import annotations

from libs.inbox import claim_event, was_claimed
from libs.mongo import Database, MongoClient, Session, run_in_transaction


class MongoEventClaims:
    def __init__(self, client: MongoClient, db: Database) -> None:
        self._client = client
        self._db = db

    async def seen(self, consumer: str, event_id: str) -> bool:
        return await was_claimed(self._db, consumer, event_id)

    async def claim(self, consumer: str, event_id: str) -> None:
        async def unit(session: Session) -> bool:
            return await claim_event(self._db, session, consumer, event_id)

        await run_in_transaction(self._client, unit)
