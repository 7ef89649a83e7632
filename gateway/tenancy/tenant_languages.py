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
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._cache_limit = cache_limit
        self._cached: dict[str, tuple[float, tuple[str, ...]]] = {}
        # Reads of tenants' documents: what a test counts instead of guessing.
        self.reads = 0

    async def offered(self, tenant_id: str) -> tuple[str, ...]:
        """The tenant's languages, its default first (`languages_of`)."""
        now = self._clock()
        cached = self._cached.get(tenant_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        self.reads += 1
        doc = await self._tenants.find_one({"_id": tenant_id}, _FIELDS)
        record = doc is not None and doc.keys() >= RECORD_FIELDS
        offered = languages_of(tenant_from_doc(doc) if doc is not None and record else None)
        if self._cache_seconds > 0:
            if len(self._cached) >= self._cache_limit:
                self._cached.clear()
            self._cached[tenant_id] = (now + self._cache_seconds, offered)
        return offered

    def forget(self, tenant_id: str) -> None:
        """The tenant changed here: read it again at its next answer."""
        self._cached.pop(tenant_id, None)
