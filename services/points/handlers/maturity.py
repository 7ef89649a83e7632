"""What time does to wallets: pending points become available, lots near their expiry are
announced, due lots expire. A sweep that is safe on several replicas, since each wallet is
re-read in its own transaction: what another replica did first is not done again."""

from __future__ import annotations

from datetime import datetime

from libs.clock import Clock, utc_now
from libs.ids import new_id
from services.points.domain.events import PointsConfirmed, PointsExpired, PointsExpiring
from services.points.domain.expiry import announce_expiring, expire_lots, release_pending
from services.points.domain.ledger import row_ids
from services.points.domain.ports import Repositories, UnitOfWork


async def mature_wallets(uow: UnitOfWork, clock: Clock = utc_now, limit: int = 100) -> int:
    """Release, expire and announce what is due in up to `limit` wallets; how many changed."""
    now = clock()
    due = await uow.read(lambda repos: repos.wallets.due(now, limit))
    changed = 0
    for tenant_id, member_id in due:

        async def work(
            repos: Repositories, tenant_id: str = tenant_id, member_id: str = member_id
        ) -> bool:
            return await _mature(repos, tenant_id, member_id, now)

        changed += await uow.transaction(work)
    return changed


async def _mature(repos: Repositories, tenant_id: str, member_id: str, now: datetime) -> bool:
    wallet = await repos.wallets.get(tenant_id, member_id)
    if wallet is None:
        return False
    orders = tuple(p.lot.order_id for p in wallet.pending_lots if p.release_at <= now)
    released = release_pending(wallet, now)
    expired = expire_lots(wallet, now)
    expiring = announce_expiring(wallet, now)
    if not released and not expired and not expiring:
        return False  # another replica was first
    await repos.wallets.save(wallet)
    await repos.entries.add(wallet, released + expired)
    balance = wallet.balance(now)
    if released:
        repos.record(
            PointsConfirmed(
                event_id=new_id("ev"),
                tenant_id=tenant_id,
                member_id=member_id,
                order_ids=orders,
                points=sum(e.points for e in released),
                entry_ids=row_ids(released),
                balance=balance,
                at=now,
            )
        )
    if expired:
        repos.record(
            PointsExpired(
                event_id=new_id("ev"),
                tenant_id=tenant_id,
                member_id=member_id,
                points=-sum(e.points for e in expired),
                entry_ids=tuple(e.entry_id for e in expired),
                balance=balance,
                at=now,
            )
        )
    if expiring:
        repos.record(
            PointsExpiring(
                event_id=new_id("ev"),
                tenant_id=tenant_id,
                member_id=member_id,
                points=sum(lot.points for lot in expiring),
                lots=tuple(expiring),
                balance=balance,
                at=now,
            )
        )
    return True
