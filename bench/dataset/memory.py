"""An in-memory stand-in for a MongoDB database, just large enough for the services'
repositories to run their real write paths into it.

The bulk loader runs the services' own handlers (enrolment, accrual) against it, then
copies what they wrote into the real databases with `insert_many`. The documents are
therefore exactly the ones the services write, built by their own code (keyed hashes,
sealed personal data, wallets, lots and ledger entries), at a fraction of the cost of one
transaction per command.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from bson import ObjectId
from pymongo.errors import DuplicateKeyError

Doc = dict[str, Any]


def matches(doc: Doc, query: Doc) -> bool:
    """Equality and `$in` on top-level fields: all the write paths used here ask for."""
    for field, wanted in query.items():
        value = doc.get(field)
        if isinstance(wanted, dict):
            if set(wanted) != {"$in"}:
                raise ValueError(f"unsupported query operator in {wanted!r}")
            if value not in wanted["$in"]:
                return False
        elif value != wanted:
            return False
    return True


@dataclass(frozen=True)
class Written:
    matched_count: int
    modified_count: int


class MemoryCursor:
    def __init__(self, docs: Iterable[Doc]) -> None:
        self._docs = list(docs)

    def sort(self, *_: Any, **__: Any) -> MemoryCursor:
        return self

    def limit(self, count: int) -> MemoryCursor:
        if count:
            self._docs = self._docs[:count]
        return self

    async def to_list(self, length: int | None = None) -> list[Doc]:
        return self._docs[:length] if length else list(self._docs)

    async def __aiter__(self) -> AsyncIterator[Doc]:
        for doc in self._docs:
            yield doc


class MemoryCollection:
    def __init__(self, name: str) -> None:
        self.name = name
        self.docs: dict[Any, Doc] = {}

    def _found(self, query: Doc) -> Iterator[Doc]:
        if "_id" in query and not isinstance(query["_id"], dict):
            doc = self.docs.get(query["_id"])
            candidates: Iterable[Doc] = [] if doc is None else [doc]
        else:
            candidates = self.docs.values()
        return (doc for doc in candidates if matches(doc, query))

    async def find_one(self, query: Doc, *_: Any, **__: Any) -> Doc | None:
        return next(self._found(query), None)

    def find(self, query: Doc | None = None, *_: Any, **__: Any) -> MemoryCursor:
        return MemoryCursor(self._found(query or {}))

    async def insert_one(self, doc: Doc, **_: Any) -> None:
        doc.setdefault("_id", ObjectId())
        if doc["_id"] in self.docs:
            raise DuplicateKeyError(f"{self.name}: duplicate _id {doc['_id']!r}")
        self.docs[doc["_id"]] = doc

    async def insert_many(self, docs: Iterable[Doc], **_: Any) -> None:
        for doc in docs:
            await self.insert_one(doc)

    async def replace_one(self, query: Doc, doc: Doc, *, upsert: bool = False, **_: Any) -> Written:
        found = next(self._found(query), None)
        if found is None and not upsert:
            return Written(0, 0)
        doc.setdefault("_id", query.get("_id") if found is None else found["_id"])
        self.docs[doc["_id"]] = doc
        return Written(int(found is not None), int(found is not None))


class MemoryDatabase:
    """Collections by name; `take()` hands over (and forgets) what was written."""

    def __init__(self, kept: dict[str, list[Doc]] | None = None) -> None:
        self._collections: dict[str, MemoryCollection] = {}
        self._kept = set(kept or {})
        for name, docs in (kept or {}).items():
            collection = self[name]
            for doc in docs:
                collection.docs[doc["_id"]] = doc

    def __getitem__(self, name: str) -> MemoryCollection:
        if name not in self._collections:
            self._collections[name] = MemoryCollection(name)
        return self._collections[name]

    def take(self) -> dict[str, list[Doc]]:
        """The documents written since the last `take`, by collection (kept ones excluded)."""
        written = {
            name: list(collection.docs.values())
            for name, collection in self._collections.items()
            if name not in self._kept and collection.docs
        }
        for name in written:
            self._collections[name].docs.clear()
        return written
