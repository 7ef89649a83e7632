"""The languages a tenant offers, read for every answer that speaks (a purchase's receipt
lines, a balance): cached briefly in each gateway process, like the tenant's policies and
branding, so an answer costs no read of the tenant's document. A change through this
process's platform routes applies at once; other processes see it within the cache time.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from pymongo.asynchronous.collection import AsyncCollection

from gateway.tenancy.tenants import RECORD_FIELDS, languages_of, tenant_from_doc
from gateway.tenancy.timed_cache import TimedCache
from libs.mongo import Doc

# What `languages_of` reads, and what tells a record from a document of policies only.
_FIELDS = dict.fromkeys((*RECORD_FIELDS, "languages"), 1)


class TenantLanguages:
    def __init__(
        self,
        collection: AsyncCollection[Doc],
        *,
        cache_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        cache_limit: int = 10_000,
    ) -> None:
        self._tenants = collection
        self._cache: TimedCache[str, tuple[str, ...]] = TimedCache(
            cache_seconds, clock=clock, limit=cache_limit
        )
        # Reads of tenants' documents: what a test counts instead of guessing.
        self.reads = 0

    async def offered(self, tenant_id: str) -> tuple[str, ...]:
        """The tenant's languages, its default first (`languages_of`)."""

        async def read() -> tuple[str, ...]:
            self.reads += 1
            doc = await self._tenants.find_one({"_id": tenant_id}, _FIELDS)
            record = doc is not None and doc.keys() >= RECORD_FIELDS
            return languages_of(tenant_from_doc(doc) if doc is not None and record else None)

        return await self._cache.through(tenant_id, read)

    def forget(self, tenant_id: str) -> None:
        """The tenant changed here: read it again at its next answer."""
        self._cache.forget(tenant_id)
