"""Balances, the ledger, the earning rule and the holds about to expire."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import timedelta

from libs.clock import Clock, utc_now
from libs.errors import InvalidArgument, NotFound
from services.points.domain.balances import Balance, ExpiringPoints
from services.points.domain.earning import EarningRule, validate_rule
from services.points.domain.ledger import Entry, rows
from services.points.domain.parsing import parse_id
from services.points.domain.ports import BalanceProjection, Repositories, UnitOfWork
from services.points.domain.redemptions import Redemption

DEFAULT_PAGE = 50
MAX_PAGE = 200
_CURSOR_PREFIX = "seq:"


async def get_balance(
    tenant_id: str,
    member_id: str,
    uow: UnitOfWork,
    clock: Clock = utc_now,
    projection: BalanceProjection | None = None,
) -> Balance:
    """One document read. A member with no ledger yet has an empty balance. With a
    `projection`, the balance read is kept for the next reads (a back-fill; an older
    wallet never replaces a newer one there)."""
    parse_id(member_id, "member_id")
    wallet = await uow.read(lambda repos: repos.wallets.get(tenant_id, member_id))
    if wallet is None:
        return Balance()
    if projection is not None:
        await projection.project([wallet])
    return wallet.balance(clock())


MAX_EXPIRING_DAYS = 365
DEFAULT_EXPIRING_DAYS = 30


@dataclass(frozen=True)
class Expiring:
    days: int
    points: int
    expiring: tuple[ExpiringPoints, ...]


async def get_expiring(
    tenant_id: str, member_id: str, days: int, uow: UnitOfWork, clock: Clock = utc_now
) -> Expiring:
    """What the member's lots lose in the next `days` days (30 when 0), soonest first."""
    parse_id(member_id, "member_id")
    if not 0 <= days <= MAX_EXPIRING_DAYS:
        raise InvalidArgument(f"days: between 1 and {MAX_EXPIRING_DAYS}")
    days = days or DEFAULT_EXPIRING_DAYS
    wallet = await uow.read(lambda repos: repos.wallets.get(tenant_id, member_id))
    expiring = wallet.expiring(clock(), timedelta(days=days)) if wallet else ()
    return Expiring(days, sum(e.points for e in expiring), expiring)


DEFAULT_HOLD_MINUTES = 60
MAX_HOLD_MINUTES = 7 * 24 * 60
DEFAULT_HOLDS = 50
MAX_HOLDS = 200


@dataclass(frozen=True)
class ExpiringHolds:
    within_minutes: int
    holds: list[Redemption]


async def expiring_holds(
    tenant_id: str, within_minutes: int, limit: int, uow: UnitOfWork, clock: Clock = utc_now
) -> ExpiringHolds:
    """The tenant's holds still held whose time is up within `within_minutes` (60 when
    0), soonest first, at most `limit` (50 when 0). A hold past its time that the sweep has
    not released yet is among them."""
    if not 0 <= within_minutes <= MAX_HOLD_MINUTES:
        raise InvalidArgument(f"within_minutes: between 1 and {MAX_HOLD_MINUTES}")
    if not 0 <= limit <= MAX_HOLDS:
        raise InvalidArgument(f"limit: between 1 and {MAX_HOLDS}")
    within = within_minutes or DEFAULT_HOLD_MINUTES
    until = clock() + timedelta(minutes=within)
    holds = await uow.read(
        lambda repos: repos.redemptions.expiring(tenant_id, until, limit or DEFAULT_HOLDS)
    )
    return ExpiringHolds(within, holds)


@dataclass(frozen=True)
class LedgerPage:
    entries: list[Entry]
    next_cursor: str


def encode_cursor(seq: int, part: int = 0) -> str:
    """Before entry `seq`; with `part`, before that row of the entry's lines (the rows
    0..part-1 come next)."""
    raw = f"{_CURSOR_PREFIX}{seq}" + (f".{part}" if part else "")
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, int] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if raw.startswith(_CURSOR_PREFIX):
            seq, _, part = raw.removeprefix(_CURSOR_PREFIX).partition(".")
            found = int(seq), int(part or 0)
            if found[1] >= 0:
                return found
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise InvalidArgument("cursor: not a cursor this ledger gave")


async def get_ledger(
    tenant_id: str, member_id: str, limit: int, cursor: str, uow: UnitOfWork
) -> LedgerPage:
    """Newest first, `limit` rows a page; the cursor continues where the page ended. An
    order's credit is one entry with its lines inside, shown as one row per line as
    before (newest first, so its bonuses above its base)."""
    parse_id(member_id, "member_id")
    if not 0 <= limit <= MAX_PAGE:
        raise InvalidArgument(f"limit: between 1 and {MAX_PAGE}")
    size = limit or DEFAULT_PAGE
    before = decode_cursor(cursor)
    # With a cursor inside an entry, that entry is read again for its remaining rows.
    upto = None if before is None else before[0] + (1 if before[1] else 0)

    async def work(repos: Repositories) -> list[Entry]:
        return await repos.entries.page(tenant_id, member_id, size + 1, upto)

    found: list[tuple[Entry, int]] = []
    for entry in await uow.read(work):
        expanded = rows(entry)
        for part in reversed(range(len(expanded))):
            if before is None or (entry.seq, part) < before or not before[1]:
                found.append((expanded[part], part))
    more = len(found) > size
    page = found[:size]
    if not more:
        return LedgerPage([row for row, _ in page], "")
    last, part = page[-1]
    return LedgerPage([row for row, _ in page], encode_cursor(last.seq, part))


async def put_earning_rule(tenant_id: str, rule: EarningRule, uow: UnitOfWork) -> EarningRule:
    valid = validate_rule(rule)
    return await uow.transaction(lambda repos: repos.rules.put_rule(tenant_id, valid))


async def get_earning_rule(tenant_id: str, uow: UnitOfWork) -> EarningRule:
    async def work(repos: Repositories) -> EarningRule:
        rule = await repos.rules.get_rule(tenant_id)
        if rule is None:
            raise NotFound("no earning rule is set for this tenant", code="earning_rule_not_found")
        return rule

    return await uow.read(work)
