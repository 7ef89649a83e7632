"""The scheduled review of tiers whose qualification period has ended.

When a member's period (plus the program's grace days) is over, the tier is judged on
what the window counts now: renewed for a new period, or dropped as the program's
downgrade policy says. Safe on several replicas at once: each member is re-read and
judged in its own transaction, so a second replica finds the period already renewed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from libs.clock import Clock, utc_now
from libs.logging import get_logger
from services.member.domain.ports import Repositories, UnitOfWork
from services.member.handlers.tier_books import reevaluate, unchanged

log = get_logger(__name__)


async def _due(repos: Repositories, now: datetime, batch: int) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for tenant_id, program in await repos.tenants.programs():
        before = now - timedelta(days=program.downgrade_grace_days)
        members = await repos.members.with_period_ended(tenant_id, before, batch - len(found))
        found += [(tenant_id, member_id) for member_id in members]
        if len(found) >= batch:
            break
    return found


async def _judge(repos: Repositories, tenant_id: str, member_id: str, now: datetime) -> bool:
    holder = await repos.members.tier_holder(tenant_id, member_id)
    if holder is None or not holder.is_active or holder.tier is None:
        return False
    counted = await reevaluate(
        repos,
        tenant_id,
        member_id,
        now,
        unchanged,
        reversal=False,
        every_change_in_history=True,
    )
    return counted.changed


async def review_tiers(uow: UnitOfWork, clock: Clock = utc_now, batch: int = 100) -> int:
    """Judge up to `batch` tiers whose period is over; how many changed."""
    now = clock()
    due = await uow.read(lambda repos: _due(repos, now, batch))
    changed = 0
    for tenant_id, member_id in due:

        async def work(
            repos: Repositories, tenant_id: str = tenant_id, member_id: str = member_id
        ) -> bool:
            return await _judge(repos, tenant_id, member_id, now)

        changed += await uow.transaction(work)
    if changed:
        log.info("tiers_reviewed", count=changed)
    return changed
