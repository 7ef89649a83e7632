"""This process's budget leases, spent in memory on the till's path.

An order's grant from a campaign without a per-member limit is allotted from the lease
this process holds for the campaign: no database round trip unless the lease is spent,
retired or past its window, when it is retired (what was never allotted goes back) and a
new one taken, in transactions shielded from the caller's cancellation, so a lease is
always taken or given back whole. The allotment is remembered per order until the order's
`points.earned` confirms it or says its bonus was left pending (then it is refunded). Why
no interleaving of crash, cancellation or deadline grants beyond the budget or loses any
of it: `domain/leases.py`.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from libs.clock import Clock
from libs.logging import get_logger
from libs.tasks import finish_whole
from services.campaign.campaigns.adapters.lease_store import MongoLeases
from services.campaign.campaigns.domain.leases import Lease, wanted_size
from services.campaign.campaigns.domain.reservations import Hold
from services.campaign.campaigns.domain.rules import Campaign

Key = tuple[str, str]  # tenant, campaign
OrderKey = tuple[str, str]  # tenant, order

log = get_logger(__name__)


class LeasedBudgets:
    def __init__(
        self,
        store: MongoLeases,
        clock: Clock,
        *,
        owner: str,
        window: timedelta,
        grace: timedelta,
    ) -> None:
        self._store = store
        self._clock = clock
        self._owner = owner
        self._window = window
        self._grace = grace
        self._leases: dict[Key, Lease] = {}
        # What each order in flight was allotted, per campaign.
        self._allotted: dict[OrderKey, dict[str, tuple[Lease, int]]] = {}
        self._locks: dict[Key, asyncio.Lock] = {}
        # Campaigns whose budget had nothing left for a lease, until when not to ask again:
        # an exhausted campaign costs the till no round trip either.
        self._exhausted: dict[Key, datetime] = {}
        # The campaign and the grant each lease was last asked for: a lease in use is
        # renewed ahead of its window's end, off the till's path.
        self._asked: dict[Key, tuple[Campaign, int]] = {}
        self._pending: set[asyncio.Future[bool]] = set()
        # Since when this process has reached the database without a failed sweep (None:
        # the last one failed). The events naming a lease's grants wait with it: no lease
        # closes until they have had `grace` to be read.
        self._reading_since: datetime | None = clock()

    @staticmethod
    def covers(campaign: Campaign) -> bool:
        """Campaigns whose grants are leased: those without a per-member limit (a limit
        needs the member's slot, held per order)."""
        return campaign.limits.per_member is None

    async def reserve(
        self, tenant_id: str, order_id: str, campaign: Campaign, *, points: int, now: datetime
    ) -> Hold:
        """Up to `points` for this order's grant, named by its lease."""
        key = (tenant_id, campaign.campaign_id)
        self._asked[key] = (campaign, points)
        allotments = self._allotted.get((tenant_id, order_id), {})
        if campaign.campaign_id in allotments:  # the same order asked again (a retried call)
            earlier, taken = allotments[campaign.campaign_id]
            return Hold(earlier.lease_id, taken, "", replayed=True)
        if now < self._exhausted.get(key, now):
            return Hold("", 0, "budget_exhausted")
        lease = self._leases.get(key)
        if lease is not None and self._covers(lease, points, now):
            return self._allot(lease, (tenant_id, order_id), campaign.campaign_id, points)
        # Shielded: a lease is taken or given back whole even if the caller stops waiting;
        # then nothing is allotted for the order (its answer is never sent), and what was
        # allotted just before the caller went goes back at once.
        gone = asyncio.Event()
        refill = self._refill(tenant_id, order_id, campaign, points, gone)
        order = (tenant_id, order_id)
        try:
            return await finish_whole(
                refill,
                name="lease_refill",
                then=lambda: self._unanswered(order, campaign.campaign_id),
            )
        except asyncio.CancelledError:
            gone.set()
            raise

    def _unanswered(self, order: OrderKey, campaign_id: str) -> None:
        """An allotment whose order never got its answer: it can never be granted."""
        allotment = self._allotted.get(order, {}).pop(campaign_id, None)
        if allotment is None:
            return
        lease, points = allotment
        if not lease.retired:
            lease.refund(points)
            return
        task = asyncio.ensure_future(self._store.give_back(lease.lease_id, points, retire=False))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    def _allot(self, lease: Lease, order: OrderKey, campaign_id: str, points: int) -> Hold:
        taken = lease.allot(points, self._clock())
        if not taken:
            return Hold("", 0, "budget_exhausted")
        self._allotted.setdefault(order, {})[campaign_id] = (lease, taken)
        return Hold(lease.lease_id, taken, "")

    @staticmethod
    def _covers(lease: Lease, points: int, now: datetime) -> bool:
        left = lease.left()
        return lease.spendable(now) and (left is None or left >= points)

    async def _refill(
        self, tenant_id: str, order_id: str, campaign: Campaign, points: int, gone: asyncio.Event
    ) -> Hold:
        """Under the campaign's lock: allot from the lease if another order refilled it
        meanwhile, else retire it and take another (which gives less than `points` only
        when that is all the budget has left: the last grant takes it)."""
        key = (tenant_id, campaign.campaign_id)
        async with self._locks.setdefault(key, asyncio.Lock()):
            now = self._clock()
            lease = self._leases.get(key)
            if lease is None or not self._covers(lease, points, now):
                if lease is not None:
                    await self._retire(key, lease)
                lease = await self._take(tenant_id, campaign, points, now)
            if lease is None:
                return Hold("", 0, "budget_exhausted")
            if gone.is_set():  # nobody waits for this order's answer any more
                return Hold("", 0, "")
            return self._allot(lease, (tenant_id, order_id), campaign.campaign_id, points)

    async def _take(
        self, tenant_id: str, campaign: Campaign, points: int, now: datetime
    ) -> Lease | None:
        key = (tenant_id, campaign.campaign_id)
        fresh = await self._store.take(
            tenant_id,
            campaign.campaign_id,
            campaign.limits.budget_points,
            wanted_size(points),
            owner=self._owner,
            now=now,
            window=self._window,
            grace=self._grace,
        )
        if fresh is None:
            self._exhausted[key] = now + self._window
        else:
            self._leases[key] = fresh
        return fresh

    async def _retire(self, key: Key, lease: Lease) -> None:
        self._leases.pop(key, None)
        unspent = lease.retire()
        await self._store.give_back(lease.lease_id, unspent, retire=True)

    def confirmed(self, tenant_id: str, order_id: str) -> None:
        """The order's event counted its allotments as granted: nothing to remember."""
        self._allotted.pop((tenant_id, order_id), None)

    async def refund(self, tenant_id: str, order_id: str) -> int:
        """Give back what an order credited without its bonus was allotted (its bonus was
        left pending: an order credits once, so the allotment can never be granted). To the
        lease while this process still spends from it, else to the budget. Only the process
        that allotted knows it; on another, it comes back when the lease closes."""
        refunded = 0
        for lease, points in self._allotted.pop((tenant_id, order_id), {}).values():
            if not lease.retired:
                lease.refund(points)
            elif not await self._store.give_back(lease.lease_id, points, retire=False):
                continue  # closed already: closing gave back everything not granted
            refunded += points
        return refunded

    async def release(self, tenant_id: str, campaign_id: str) -> bool:
        """Retire the campaign's lease now, so what it holds goes back to the budget for
        a grant that cannot be leased (a pending bonus, paid after the order)."""
        key = (tenant_id, campaign_id)
        async with self._locks.setdefault(key, asyncio.Lock()):
            self._exhausted.pop(key, None)
            lease = self._leases.get(key)
            if lease is None:
                return False
            await finish_whole(self._retire(key, lease), name="lease_retire")
            return True

    async def sweep(self) -> int:
        """Renew this process's leases in use whose window ends within half a window
        (retire the others past it), forget allotments of leases closed by now, and close
        every replica's leases whose grace has passed. Run every quarter of a window.

        No lease closes within `grace` of this process's start or of the end of a
        database outage (a sweep that failed, or one held up past a quarter of a window):
        the events that name its grants waited with everything else, and closing first
        would give back points they prove granted, spent again by others
        (`lease_grant_after_close`, past the budget)."""
        now = self._clock()
        if self._reading_since is None:
            self._reading_since = now
        try:
            return await self._sweep(now)
        except Exception:
            self._reading_since = None
            raise

    async def _sweep(self, now: datetime) -> int:
        done = 0
        for key, lease in list(self._leases.items()):
            if lease.spend_until - now > self._window / 2:
                continue
            async with self._locks.setdefault(key, asyncio.Lock()):
                if self._leases.get(key) is lease:
                    await self._renew(key, lease, now)
                    done += 1
        self._exhausted = {k: until for k, until in self._exhausted.items() if now < until}
        gone = now - self._grace
        for order_key, allotments in list(self._allotted.items()):
            if all(lease.spend_until < gone for lease, _ in allotments.values()):
                self._allotted.pop(order_key, None)
        due = await self._store.due(now)
        later = self._clock()
        if later - now > self._window / 4:  # held up: the database was away, events too
            self._reading_since = later
        if later - (self._reading_since or later) < self._grace:
            return done
        for lease_id in due:
            done += await self._store.close(lease_id)
        return done

    async def _renew(self, key: Key, lease: Lease, now: datetime) -> None:
        """A lease in use goes on (extended while a quarter of it is left, else replaced),
        now rather than on an order; an idle one is retired."""
        in_use = lease.in_use(now, self._window / 2)
        if in_use and lease.worth_extending() and now < lease.spend_until:
            spend_until = now + self._window
            if await self._store.extend(lease.lease_id, spend_until, self._grace):
                lease.spend_until = spend_until
                return
        await self._retire(key, lease)
        asked = self._asked.pop(key, None)
        if asked is not None and in_use:
            campaign, points = asked
            await self._take(key[0], campaign, points, now)

    async def retire_all(self) -> None:
        """At shutdown: what this process never allotted goes back at once (or, with the
        database away, when the leases close)."""
        for key, lease in list(self._leases.items()):
            try:
                await self._retire(key, lease)
            except Exception as exc:
                log.warning("lease_not_retired", lease_id=lease.lease_id, error=repr(exc))
