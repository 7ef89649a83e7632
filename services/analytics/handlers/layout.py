"""Keep the read model in the layout this release writes: record it on a new deployment,
rebuild from the log when the read model is older (or records no layout over logged
events), and leave alone one a newer release wrote. Several replicas may start at once:
the rebuild's lease lets one of them do it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from libs.clock import utc_now
from services.analytics.domain.facts import Event
from services.analytics.domain.layout import READ_MODEL_LAYOUT, RebuildHeld, Step, next_step
from services.analytics.domain.ports import LoggedEvent, Repositories, TimeZones, UnitOfWork
from services.analytics.handlers.rebuild import LEASE_SECONDS, rebuild


@dataclass(frozen=True)
class Standing:
    """Where the read model stands: what to do about its layout; whether a rebuild holds
    it (`rebuilding`), or one left it half done (`abandoned`: it died, its lease lapsed)."""

    step: Step
    rebuilding: bool = False
    abandoned: bool = False

    @property
    def reports_wait(self) -> bool:
        """Reports would read a partial read model, or one this release does not read."""
        return self.rebuilding or self.abandoned or self.step in (Step.REBUILD, Step.NEWER)


async def standing(uow: UnitOfWork, clock: Callable[[], datetime] = utc_now) -> Standing:
    """A read only (what it decides is checked again by the transaction that acts on it:
    recording the layout, claiming a rebuild), so a replica starting beside busy ones is
    not turned away by their batches' writes."""

    async def read(repos: Repositories) -> Standing:
        control = await repos.control()
        step = next_step(control.layout, await repos.logged_any())
        live = control.live(clock())
        return Standing(step, rebuilding=live, abandoned=control.running and not live)

    return await uow.transaction(read)


async def record_layout(uow: UnitOfWork, clock: Callable[[], datetime] = utc_now) -> Standing:
    """Record this release's layout on a read model that records none and has logged
    nothing (a new deployment)."""

    async def record(repos: Repositories) -> None:
        await repos.enter()
        if not await repos.logged_any():
            await repos.record_layout(READ_MODEL_LAYOUT)

    await uow.transaction(record)
    return await standing(uow, clock)


async def keep_layout(
    uow: UnitOfWork,
    parse: Callable[[LoggedEvent], Event | None],
    zones: TimeZones,
    *,
    holder: str,
    lease_seconds: float = LEASE_SECONDS,
    clock: Callable[[], datetime] = utc_now,
) -> Standing:
    """Do what the read model's layout needs, and take over a rebuild that died, as far as
    this replica can; where the read model then stands."""
    now = await standing(uow, clock)
    if now.step is Step.RECORD:
        return await record_layout(uow, clock)
    if now.step is Step.NEWER or not (now.step is Step.REBUILD or now.abandoned):
        return now
    # Held: another replica rebuilds it, or has just done so; where it stands says which.
    with contextlib.suppress(RebuildHeld):
        await rebuild(
            uow,
            parse,
            zones,
            holder=holder,
            lease_seconds=lease_seconds,
            clock=clock,
            unless_layout=READ_MODEL_LAYOUT,
        )
    return await standing(uow, clock)
