"""Follow `member.merged`: the merged member's coupons move to the survivor, once."""

from __future__ import annotations

from dataclasses import dataclass

from services.campaign.coupons.domain.ports import CouponRepositories, CouponUnitOfWork

CONSUMER = "campaign-coupon-merges"


@dataclass(frozen=True)
class MoveCoupons:
    """From `member.merged`: its event id makes the move happen once."""

    event_id: str
    tenant_id: str
    survivor_id: str
    merged_id: str


async def move_coupons(cmd: MoveCoupons, uow: CouponUnitOfWork) -> int | None:
    """How many coupons moved; None when this merge was handled before."""
    if not cmd.survivor_id or cmd.survivor_id == cmd.merged_id:
        raise ValueError(f"member.merged {cmd.event_id} names no other survivor")

    async def work(repos: CouponRepositories) -> int | None:
        if not await repos.claim(CONSUMER, cmd.event_id):
            return None
        return await repos.coupons.reassign(cmd.tenant_id, cmd.merged_id, cmd.survivor_id)

    return await uow.transaction(work)
