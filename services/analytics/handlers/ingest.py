"""Take a batch of events into the read model: claim them, keep them in the log, and add
what they state to the buckets, all in one transaction. A redelivered event is claimed
already and changes nothing; while a rebuild runs, events are only logged (the rebuild
applies them). A release older than the read model's layout takes no event (it is given
again, to a replica of the newer release). A batch the database refuses as too large for
one transaction is taken in halves, each in its own transaction, in order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from libs.errors import TransactionTooLarge
from libs.logging import get_logger
from services.analytics.domain.buckets import Known, plan
from services.analytics.domain.facts import Event, Fact, Merged, Purchased, Returned
from services.analytics.domain.layout import READ_MODEL_LAYOUT, NewerLayout
from services.analytics.domain.ports import (
    LoggedEvent,
    ReadModel,
    Repositories,
    TimeZones,
    UnitOfWork,
)

CONSUMER = "analytics-events"

Parsed = tuple[LoggedEvent, Event]
log = get_logger(__name__)


async def ingest(batch: Sequence[Parsed], uow: UnitOfWork, zones: TimeZones) -> int:
    """How many events were new. Halves that commit before a later half fails stay
    committed: given again, their events are claimed already and change nothing."""
    try:
        return await _ingest_once(batch, uow, zones)
    except TransactionTooLarge:
        if len(batch) < 2:
            raise
        half = len(batch) // 2
        log.warning("analytics_batch_split", events=len(batch))
        return await ingest(batch[:half], uow, zones) + await ingest(batch[half:], uow, zones)


async def _ingest_once(batch: Sequence[Parsed], uow: UnitOfWork, zones: TimeZones) -> int:
    if not batch:
        return 0
    tz = {tenant: await zones.time_zone(tenant) for tenant in {e.tenant_id for _, e in batch}}

    async def work(repos: Repositories) -> int:
        control = await repos.enter()
        if control.layout is not None and control.layout > READ_MODEL_LAYOUT:
            raise NewerLayout(
                f"the read model's layout {control.layout} is newer than this release's"
            )
        fresh = await repos.claim(CONSUMER, [logged.event_id for logged, _ in batch])
        new: list[Parsed] = []
        for logged, event in batch:
            if logged.event_id in fresh:
                fresh.discard(logged.event_id)  # the same event twice in one batch: once
                new.append((logged, event))
        await repos.log([logged for logged, _ in new])
        if not control.running:
            await repos.read_model.prefetch(members_of(e for _, e in new))
            for _, event in new:
                await apply(repos.read_model, event, tz[event.tenant_id])
            await repos.read_model.flush()
        return len(new)

    return await uow.transaction(work)


def members_of(events: Iterable[Event]) -> list[tuple[str, str]]:
    """The (tenant, member) pairs applying `events` reads or changes: each fact's member
    and the member a merge took in."""
    return [
        (fact.tenant_id, member_id)
        for event in events
        for fact in event.facts
        for member_id in (fact.member_id, fact.merged_id if isinstance(fact, Merged) else "")
        if member_id
    ]


async def apply(model: ReadModel, event: Event, time_zone: str) -> None:
    """Every fact of `event`, in order; buckets are counted in memory until `flush`."""
    for fact in event.facts:
        changes = plan(fact, time_zone, await _known(model, fact))
        model.add(fact.tenant_id, changes.increments)
        model.add_wallets(fact.tenant_id, changes.wallets)
        for member_id, op in changes.members:
            await model.change_member(fact.tenant_id, member_id, op)
        for order_id, tier in changes.orders:
            await model.remember_order(fact.tenant_id, order_id, tier)
        for campaign in changes.campaigns:
            await model.remember_campaign(fact.tenant_id, campaign)


async def _known(model: ReadModel, fact: Fact) -> Known:
    if not fact.member_id:
        return Known()
    if isinstance(fact, Merged):
        gone = await model.member(fact.tenant_id, fact.merged_id)
        return Known(member=gone, survivor=await model.member(fact.tenant_id, fact.member_id))
    if isinstance(fact, Returned):
        return Known(order_tier=await model.order_tier(fact.tenant_id, fact.order_id))
    member = await model.member(fact.tenant_id, fact.member_id)
    if isinstance(fact, Purchased) and member is not None and member.merged_into:
        # history follows the survivor, whose purchase days the purchase adds to
        return Known(member=member, survivor=await model.member(fact.tenant_id, member.merged_into))
    return Known(member=member)
