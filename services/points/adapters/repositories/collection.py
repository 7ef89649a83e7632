"""The base of the points repositories: find, insert once, replace under a version check."""

from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from libs.mongo import Database, Doc, Session
from services.points.domain.errors import AlreadySeen, StaleWrite


class Collection:
    """One collection, bound to the unit of work's session (or to none, for reads)."""

    def __init__(self, db: Database, session: Session | None, name: str) -> None:
        self._collection = db[name]
        self._session = session

    async def _find(self, key: str) -> Doc | None:
        return await self._collection.find_one({"_id": key}, session=self._session)

    async def _insert(self, doc: Doc, what: str) -> None:
        try:
            await self._collection.insert_one(doc, session=self._session)
        except DuplicateKeyError:
            raise AlreadySeen(what) from None

    async def _replace(self, doc: Doc, version: int, what: str) -> None:
        """Write `doc` (already at `version + 1`) over the stored `version`."""
        result = await self._collection.replace_one(
            {"_id": doc["_id"], "version": version}, doc, session=self._session
        )
        if result.matched_count != 1:
            raise StaleWrite(what)
