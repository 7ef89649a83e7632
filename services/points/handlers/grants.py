"""Credit a campaign's reward once per grant key (GrantPoints)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from libs.clock import Clock, stored_now, utc_now
from libs.ids import new_id
from services.points.domain.errors import (
    AlreadySeen,
    GrantConflict,
    NoEarningRule,
    OrderNotFound,
)
from services.points.domain.events import PointsGranted
from services.points.domain.grants import Grant, GrantRecord, credit_grant, parse_grant
from services.points.domain.ledger import ReasonParams
from services.points.domain.ports import Repositories, UnitOfWork
from services.points.domain.wallet import Wallet


@dataclass(frozen=True)
class GrantPoints:
    tenant_id: str
    member_id: str
    grant_key: str
    points: int
    campaign_id: str = ""
    campaign_version: int = 0
    reason: str = ""
    order_id: str = ""
    reason_code: str = ""
    reason_params: ReasonParams = ()


@dataclass(frozen=True)
class GrantAnswer:
    record: GrantRecord
    replayed: bool


async def grant_points(cmd: GrantPoints, uow: UnitOfWork, clock: Clock = utc_now) -> GrantAnswer:
    """Credit the grant once; the same key again answers the first answer, and with
    another member, points, campaign or order it is grant_conflict."""
    grant = parse_grant(
        cmd.grant_key,
        cmd.member_id,
        cmd.points,
        campaign_id=cmd.campaign_id,
        campaign_version=cmd.campaign_version,
        reason=cmd.reason,
        order_id=cmd.order_id,
        reason_code=cmd.reason_code,
        reason_params=cmd.reason_params,
    )
    now = stored_now(clock)

    async def work(repos: Repositories) -> GrantAnswer:
        seen = await repos.grants.get(cmd.tenant_id, grant.grant_key)
        if seen is not None:
            return _replay(seen, grant)
        record = await _credit(repos, cmd.tenant_id, grant, now)
        return GrantAnswer(record, replayed=False)

    try:
        return await uow.transaction(work)
    except AlreadySeen:
        seen = await uow.read(lambda repos: repos.grants.get(cmd.tenant_id, grant.grant_key))
        if seen is None:
            raise
        return _replay(seen, grant)


def _replay(seen: GrantRecord, grant: Grant) -> GrantAnswer:
    if seen.fingerprint != grant.fingerprint():
        raise GrantConflict(seen.grant_key)
    return GrantAnswer(seen, replayed=True)


async def _credit(repos: Repositories, tenant_id: str, grant: Grant, now: datetime) -> GrantRecord:
    rule = await repos.rules.get_rule(tenant_id)
    if rule is None:
        raise NoEarningRule()
    order = None
    if grant.order_id:
        order = await repos.orders.get(tenant_id, grant.order_id)
        if order is None:
            raise OrderNotFound(grant.order_id)
    fingerprint = grant.fingerprint()
    if order is not None and order.member_id != grant.member_id:
        # A merge moved the order to the survivor after the caller read it: the bonus of an
        # order goes to whoever holds the order now.
        grant = replace(grant, member_id=order.member_id)
    wallet = await repos.wallets.get(tenant_id, grant.member_id)
    wallet = wallet or Wallet(tenant_id, grant.member_id)
    expires_at = rule.expiry_for(now)
    lot_id = new_id("lot")
    entry = credit_grant(wallet, grant, order=order, lot_id=lot_id, expires_at=expires_at, at=now)
    record = GrantRecord(
        tenant_id=tenant_id,
        grant_key=grant.grant_key,
        member_id=grant.member_id,
        fingerprint=fingerprint,
        points=grant.points,
        campaign_id=grant.campaign_id,
        campaign_version=grant.campaign_version,
        reason=grant.reason,
        order_id=grant.order_id,
        entry_id=entry.entry_id if entry else "",
        balance=wallet.balance(now),
        created_at=now,
    )
    await repos.grants.add(record)
    await repos.wallets.save(wallet)
    if order is not None:
        await repos.orders.save(order)
    await repos.entries.add(wallet, [entry] if entry else [])
    repos.record(
        PointsGranted(
            event_id=new_id("ev"),
            tenant_id=tenant_id,
            member_id=grant.member_id,
            grant_key=grant.grant_key,
            points=grant.points,
            campaign_id=grant.campaign_id,
            campaign_version=grant.campaign_version,
            reason=grant.reason,
            order_id=grant.order_id,
            entry_id=record.entry_id,
            lot_expires_at=expires_at if entry else None,
            balance=record.balance,
            at=now,
        )
    )
    return record
