"""An end-to-end test's hold on the running stack's analytics read model, taken as `make
analytics-rebuild` takes it (the rebuild's lease in the `control` record): while it is
held every report answers 503 `analytics_rebuilding` and a campaign's results say why
they are not compared (the service looks every `LAYOUT_POLL_SECONDS`, 5 s). Letting go
runs the rebuild itself under the same hold: the log is replayed, what arrived meanwhile
applied, and the figures come back as they were.

The read model is the whole stack's: hold it briefly, and never leave it held (the
context manager lets go however the test ends).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from uuid import uuid4

from libs.clock import utc_now
from libs.mongo import make_client
from libs.stack.mongo_auth import OWN_DATABASES
from libs.stack.platform import Stack
from services.analytics.adapters.repositories import MongoUnitOfWork
from services.analytics.adapters.zones import StoredTimeZones
from services.analytics.domain.ports import Repositories
from services.analytics.entrypoints.events import parse_logged
from services.analytics.handlers.rebuild import rebuild

HOLD = timedelta(minutes=5)  # long enough for a slow browser; lapses if the test is killed


@asynccontextmanager
async def held_rebuild(stack: Stack) -> AsyncIterator[Callable[[], Awaitable[int]]]:
    """Hold the read model as a rebuild does; yields `finish`, which runs the rebuild
    (how many logged events it replayed)."""
    client = make_client(stack.urls["mongo"], app_name="e2e-held-rebuild")
    db = client[OWN_DATABASES["analytics"]]
    uow = MongoUnitOfWork(client, db)
    holder = f"e2e:{uuid4().hex[:10]}"
    finished = False

    async def claim(repos: Repositories) -> bool:
        await repos.enter()
        now = utc_now()
        return await repos.claim_rebuild(holder, now, now + HOLD)

    async def finish() -> int:
        nonlocal finished
        finished = True
        return await rebuild(uow, parse_logged, StoredTimeZones(db), holder=holder)

    try:
        assert await uow.transaction(claim), "another rebuild holds the analytics read model"
        try:
            yield finish
        finally:
            if not finished:
                await finish()
    finally:
        await client.close()
