"""An operator credits or debits a member's points with a reason, once per adjustment id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from libs.clock import Clock, stored_now, utc_now
from libs.errors import DomainError, FailedPrecondition
from libs.ids import new_id
from services.points.domain.adjustments import Adjustment, AdjustmentRecord, adjust
from services.points.domain.adjustments import parse_adjustment as parse
from services.points.domain.earning import EarningRule
from services.points.domain.errors import AdjustmentConflict, AlreadySeen, NoEarningRule
from services.points.domain.events import PointsAdjusted
from services.points.domain.ports import Repositories, UnitOfWork
from services.points.domain.wallet import Wallet


@dataclass(frozen=True)
class AdjustPoints:
    tenant_id: str
    adjustment_id: str
    member_id: str
    points: int
    reason: str
    actor: str = ""


@dataclass(frozen=True)
class AdjustmentAnswer:
    record: AdjustmentRecord
    replayed: bool


async def adjust_points(
    cmd: AdjustPoints, uow: UnitOfWork, clock: Clock = utc_now
) -> AdjustmentAnswer:
    """Apply the adjustment once; the same id again answers the first answer, and with
    another body it is adjustment_conflict."""
    adjustment = parse(cmd.adjustment_id, cmd.member_id, cmd.points, cmd.reason)
    now = stored_now(clock)

    async def work(repos: Repositories) -> AdjustmentAnswer:
        seen = await repos.adjustments.get(cmd.tenant_id, adjustment.adjustment_id)
        if seen is not None:
            return replay(seen, adjustment)
        rule = await repos.rules.get_rule(cmd.tenant_id)
        if rule is None:
            raise NoEarningRule()
        wallet = await repos.wallets.get(cmd.tenant_id, adjustment.member_id)
        wallet = wallet or Wallet(cmd.tenant_id, adjustment.member_id)
        record = await apply(
            repos, wallet, rule=rule, adjustment=adjustment, actor=cmd.actor, now=now
        )
        await repos.adjustments.add(record)
        await repos.wallets.save(wallet)
        return AdjustmentAnswer(record, replayed=False)

    try:
        return await uow.transaction(work)
    except AlreadySeen:
        seen = await uow.read(
            lambda repos: repos.adjustments.get(cmd.tenant_id, adjustment.adjustment_id)
        )
        if seen is None:
            raise
        return replay(seen, adjustment)


def replay(seen: AdjustmentRecord, adjustment: Adjustment) -> AdjustmentAnswer:
    if seen.fingerprint != adjustment.fingerprint():
        raise AdjustmentConflict(seen.adjustment_id)
    if seen.refusal_code:
        raise FailedPrecondition(seen.refusal, code=seen.refusal_code)
    return AdjustmentAnswer(seen, replayed=True)


async def apply(
    repos: Repositories,
    wallet: Wallet,
    *,
    rule: EarningRule,
    adjustment: Adjustment,
    actor: str,
    now: datetime,
) -> AdjustmentRecord:
    """Adjust the wallet, write its entry and record the event; the wallet and the
    record are the caller's to save."""
    entry = adjust(
        wallet,
        adjustment,
        lot_id=new_id("lot"),
        expires_at=rule.expiry_for(now),
        allow_debt=rule.allow_adjustment_debt,
        at=now,
    )
    record = AdjustmentRecord(
        tenant_id=wallet.tenant_id,
        adjustment_id=adjustment.adjustment_id,
        member_id=wallet.member_id,
        fingerprint=adjustment.fingerprint(),
        points=adjustment.points,
        reason=adjustment.reason,
        actor=actor,
        entry_id=entry.entry_id,
        balance=wallet.balance(now),
        created_at=now,
    )
    await repos.entries.add(wallet, [entry])
    repos.record(
        PointsAdjusted(
            event_id=new_id("ev"),
            tenant_id=wallet.tenant_id,
            member_id=wallet.member_id,
            adjustment_id=adjustment.adjustment_id,
            points=adjustment.points,
            actor=actor,
            entry_id=entry.entry_id,
            balance=record.balance,
            at=now,
        )
    )
    return record


def refused(
    wallet: Wallet, adjustment: Adjustment, refusal: DomainError, *, actor: str, now: datetime
) -> AdjustmentRecord:
    """The record of a file's row that could not apply: no entry, the wallet unchanged."""
    return AdjustmentRecord(
        tenant_id=wallet.tenant_id,
        adjustment_id=adjustment.adjustment_id,
        member_id=adjustment.member_id,
        fingerprint=adjustment.fingerprint(),
        points=adjustment.points,
        reason=adjustment.reason,
        actor=actor,
        entry_id="",
        balance=wallet.balance(now),
        created_at=now,
        refusal_code=refusal.code,
        refusal=refusal.message,
    )
