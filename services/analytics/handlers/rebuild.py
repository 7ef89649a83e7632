"""Rebuild the read model from the service's own log of the stream: drop every bucket,
then replay the log in stream order through the same arithmetic as the consumer. The
consumer keeps logging (but not applying) what arrives meanwhile; the rebuild's last
page, applied in the transaction that ends the rebuild, takes those too.

One rebuild at a time: it holds the read model under a lease renewed with every page, so
that a rebuild that died (its process killed) is taken over once its lease has lapsed,
and one that lost its lease stops. The last page records the layout it wrote. A page the
database refuses as too large for one transaction is replayed again in halves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from libs.clock import utc_now
from libs.errors import FailedPrecondition, TransactionTooLarge
from services.analytics.domain.facts import Event
from services.analytics.domain.layout import READ_MODEL_LAYOUT, RebuildHeld
from services.analytics.domain.ports import LoggedEvent, Repositories, TimeZones, UnitOfWork
from services.analytics.handlers.ingest import apply, members_of

PAGE = 500
LEASE_SECONDS = 60.0


class RebuildLost(FailedPrecondition):
    """The rebuild's lease lapsed and another rebuild took the read model over."""

    code = "analytics_rebuild_lost"


async def rebuild(
    uow: UnitOfWork,
    parse: Callable[[LoggedEvent], Event | None],
    zones: TimeZones,
    *,
    page: int = PAGE,
    holder: str = "rebuild",
    lease_seconds: float = LEASE_SECONDS,
    clock: Callable[[], datetime] = utc_now,
    unless_layout: int | None = None,
) -> int:
    """How many logged events were replayed. RebuildHeld when another rebuild holds the
    read model (or, given `unless_layout`, it already has that layout); RebuildLost when
    this one's lease lapsed and another took over."""
    lease = timedelta(seconds=lease_seconds)

    async def start(repos: Repositories) -> bool:
        await repos.enter()
        now = clock()
        return await repos.claim_rebuild(holder, now, now + lease, unless_layout=unless_layout)

    if not await uow.transaction(start):
        raise RebuildHeld("another rebuild of the read model is running")
    await uow.clear_read_model()
    zone_of: dict[str, str] = {}
    replayed, last = 0, -1
    while True:

        async def step(
            repos: Repositories, after: int = last, size: int = page
        ) -> list[LoggedEvent]:
            await repos.enter()
            if not await repos.hold_rebuild(holder, clock() + lease):
                raise RebuildLost("this rebuild's lease lapsed; another took the read model over")
            logged = await repos.logged_after(after, size)
            events = [e for e in map(parse, logged) if e is not None]
            await repos.read_model.prefetch(members_of(events))
            for event in events:
                if event.tenant_id not in zone_of:
                    zone_of[event.tenant_id] = await zones.time_zone(event.tenant_id)
                await apply(repos.read_model, event, zone_of[event.tenant_id])
            await repos.read_model.flush()
            if len(logged) < size:
                await repos.finish_rebuild(holder, READ_MODEL_LAYOUT)
            return logged

        try:
            done = await uow.transaction(step)
        except TransactionTooLarge:
            if page < 2:
                raise
            page //= 2  # the same events again, in smaller transactions from now on
            continue
        replayed += len(done)
        if len(done) < page:
            return replayed
        last = done[-1].seq
