"""Each tenant's enabled webhook endpoints, kept briefly in the gateway process: the
recorder asks for them with every batch of events, and they change rarely.

One cache per database in a process, shared by every `EndpointStore` of it, so a change
through this process's admin routes applies to the recorder's next batch at once; a
change made through another gateway process applies within `CACHE_SECONDS`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gateway.webhooks.endpoints import Endpoint

CACHE_SECONDS = 5.0


class EnabledEndpoints:
    def __init__(
        self, seconds: float = CACHE_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._seconds = seconds
        self._clock = clock
        self._kept: dict[str, tuple[float, list[Endpoint]]] = {}
        # Reads of the database the cache answered instead of: what a test counts.
        self.misses = 0

    def get(self, tenant_id: str) -> list[Endpoint] | None:
        kept = self._kept.get(tenant_id)
        if kept is None or kept[0] <= self._clock():
            self.misses += 1
            return None
        return kept[1]

    def put(self, tenant_id: str, endpoints: list[Endpoint]) -> None:
        self._kept[tenant_id] = (self._clock() + self._seconds, endpoints)

    def forget(self, tenant_id: str) -> None:
        self._kept.pop(tenant_id, None)


_PER_DATABASE: dict[str, EnabledEndpoints] = {}


def enabled_endpoints_of(database: str) -> EnabledEndpoints:
    """The process's cache for the endpoints kept in `database`."""
    return _PER_DATABASE.setdefault(database, EnabledEndpoints())
