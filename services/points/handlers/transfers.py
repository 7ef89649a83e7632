"""Move points between two members of a tenant, once per transfer id, within its limit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from libs.clock import Clock, stored_now, utc_now
from libs.ids import new_id
from services.points.domain.errors import AlreadySeen, NoEarningRule, TransferConflict
from services.points.domain.events import PointsTransferred
from services.points.domain.ports import Repositories, UnitOfWork
from services.points.domain.transfers import Transfer, TransferRecord, parse_transfer, transfer
from services.points.domain.wallet import Wallet


@dataclass(frozen=True)
class TransferPoints:
    tenant_id: str
    transfer_id: str
    from_member_id: str
    to_member_id: str
    points: int
    reason: str = ""
    actor: str = ""


@dataclass(frozen=True)
class TransferAnswer:
    record: TransferRecord
    replayed: bool


async def transfer_points(
    cmd: TransferPoints, uow: UnitOfWork, clock: Clock = utc_now
) -> TransferAnswer:
    """Both wallets change in one transaction, each under its version check, so two
    transfers (or a transfer and a redemption) racing on a wallet never both spend it:
    one commits, the other runs again on what the first left."""
    t = parse_transfer(
        cmd.transfer_id, cmd.from_member_id, cmd.to_member_id, cmd.points, cmd.reason
    )
    now = stored_now(clock)

    async def work(repos: Repositories) -> TransferAnswer:
        seen = await repos.transfers.get(cmd.tenant_id, t.transfer_id)
        if seen is not None:
            return _replay(seen, t)
        return TransferAnswer(await _move(repos, cmd, t, now), replayed=False)

    try:
        return await uow.transaction(work)
    except AlreadySeen:
        seen = await uow.read(lambda repos: repos.transfers.get(cmd.tenant_id, t.transfer_id))
        if seen is None:
            raise
        return _replay(seen, t)


def _replay(seen: TransferRecord, t: Transfer) -> TransferAnswer:
    if seen.fingerprint != t.fingerprint():
        raise TransferConflict(seen.transfer_id)
    return TransferAnswer(seen, replayed=True)


async def _wallets(repos: Repositories, tenant_id: str, t: Transfer) -> tuple[Wallet, Wallet]:
    """Read in member id order: the same order for every transaction that touches both,
    so that on a store that locks (rather than aborting on conflict, as MongoDB does) two
    opposite transfers can never wait on each other."""
    found: dict[str, Wallet] = {}
    for member_id in sorted((t.from_member_id, t.to_member_id)):
        wallet = await repos.wallets.get(tenant_id, member_id)
        found[member_id] = wallet or Wallet(tenant_id, member_id)
    return found[t.from_member_id], found[t.to_member_id]


async def _move(
    repos: Repositories, cmd: TransferPoints, t: Transfer, now: datetime
) -> TransferRecord:
    rule = await repos.rules.get_rule(cmd.tenant_id)
    if rule is None:
        raise NoEarningRule()
    sender, receiver = await _wallets(repos, cmd.tenant_id, t)
    out, in_ = transfer(
        sender, receiver, t, limit=rule.transfer_limit_per_day, zone=rule.zone, at=now
    )
    record = TransferRecord(
        tenant_id=cmd.tenant_id,
        transfer_id=t.transfer_id,
        from_member_id=t.from_member_id,
        to_member_id=t.to_member_id,
        fingerprint=t.fingerprint(),
        points=t.points,
        reason=t.reason,
        actor=cmd.actor,
        out_entry_id=out.entry_id,
        in_entry_id=in_.entry_id,
        from_balance=sender.balance(now),
        to_balance=receiver.balance(now),
        created_at=now,
    )
    await repos.transfers.add(record)
    for wallet, entry in sorted(((sender, out), (receiver, in_)), key=lambda p: p[0].member_id):
        await repos.wallets.save(wallet)
        await repos.entries.add(wallet, [entry])
    repos.record(
        PointsTransferred(
            event_id=new_id("ev"),
            tenant_id=cmd.tenant_id,
            member_id=t.from_member_id,
            transfer_id=t.transfer_id,
            to_member_id=t.to_member_id,
            points=t.points,
            actor=cmd.actor,
            out_entry_id=out.entry_id,
            in_entry_id=in_.entry_id,
            balance=record.from_balance,
            to_balance=record.to_balance,
            at=now,
        )
    )
    return record
