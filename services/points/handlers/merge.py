"""Follow `member.merged`: the merged member's points, holds and orders move, once."""

from __future__ import annotations

from dataclasses import dataclass

from libs.clock import Clock, utc_now
from libs.ids import new_id
from services.points.domain.merge import PointsMerged, WalletMerge, merge_wallet
from services.points.domain.merge_ports import MergeRepositories, MergeUnitOfWork
from services.points.domain.wallet import Wallet

CONSUMER = "points-merges"


@dataclass(frozen=True)
class MergeWallets:
    """From `member.merged`: its event id makes the move happen once."""

    event_id: str
    tenant_id: str
    survivor_id: str
    merged_id: str


async def merge_wallets(
    cmd: MergeWallets, uow: MergeUnitOfWork, clock: Clock = utc_now
) -> PointsMerged | None:
    """The `points.merged` event published; None when this merge was handled before."""
    if not cmd.survivor_id or cmd.survivor_id == cmd.merged_id:
        raise ValueError(f"member.merged {cmd.event_id} names no other survivor")

    async def work(repos: MergeRepositories) -> PointsMerged | None:
        if not await repos.claim(CONSUMER, cmd.event_id):
            return None
        now = clock()
        source = await repos.wallets.get(cmd.tenant_id, cmd.merged_id)
        target = await repos.wallets.get(cmd.tenant_id, cmd.survivor_id)
        target = target or Wallet(cmd.tenant_id, cmd.survivor_id)
        moved = WalletMerge()
        if source is not None:
            moved = merge_wallet(source, target, now)
            await repos.wallets.save(source)
            await repos.wallets.save(target)
            await repos.entries.add(source, [moved.out_entry] if moved.out_entry else [])
            await repos.entries.add(target, [moved.in_entry] if moved.in_entry else [])
        records = await repos.records.reassign(cmd.tenant_id, cmd.merged_id, cmd.survivor_id)
        entries = (moved.out_entry, moved.in_entry)
        event = PointsMerged(
            event_id=new_id("ev"),
            tenant_id=cmd.tenant_id,
            member_id=cmd.survivor_id,
            merged_id=cmd.merged_id,
            member_merged_event_id=cmd.event_id,
            moved=moved,
            records=records,
            balance=target.balance(now),
            at=now,
            entry_ids=tuple(e.entry_id for e in entries if e is not None),
        )
        repos.record(event)
        return event

    return await uow.transaction(work)
