"""Rebuild the read model from the service's own log of the stream: drop every bucket,
then replay the log in stream order through the same arithmetic as the consumer. The
consumer keeps logging (but not applying) what arrives meanwhile; the rebuild's last
page, applied in the transaction that ends the rebuild, takes those too."""

from __future__ import annotations

from collections.abc import Callable

from services.analytics.domain.facts import Event
from services.analytics.domain.ports import LoggedEvent, Repositories, TimeZones, UnitOfWork
from services.analytics.handlers.ingest import apply, members_of

PAGE = 500


async def rebuild(
    uow: UnitOfWork,
    parse: Callable[[LoggedEvent], Event | None],
    zones: TimeZones,
    *,
    page: int = PAGE,
) -> int:
    """How many logged events were replayed."""

    async def start(repos: Repositories) -> None:
        await repos.enter()
        await repos.set_rebuilding(True)

    await uow.transaction(start)
    await uow.clear_read_model()
    zone_of: dict[str, str] = {}
    replayed, last = 0, -1
    while True:

        async def step(repos: Repositories, after: int = last) -> list[LoggedEvent]:
            await repos.enter()
            logged = await repos.logged_after(after, page)
            events = [e for e in map(parse, logged) if e is not None]
            await repos.read_model.prefetch(members_of(events))
            for event in events:
                if event.tenant_id not in zone_of:
                    zone_of[event.tenant_id] = await zones.time_zone(event.tenant_id)
                await apply(repos.read_model, event, zone_of[event.tenant_id])
            await repos.read_model.flush()
            if len(logged) < page:
                await repos.set_rebuilding(False)
            return logged

        done = await uow.transaction(step)
        replayed += len(done)
        if len(done) < page:
            return replayed
        last = done[-1].seq
