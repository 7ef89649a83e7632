"""Reconciliation: does a wallet still agree with its ledger and its redemptions?"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from services.points.domain.wallet import Wallet


@dataclass(frozen=True)
class Drift:
    tenant_id: str
    member_id: str
    problems: tuple[str, ...]


def check_wallet(
    wallet: Wallet,
    *,
    ledger_sum: int,
    open_holds: int,
    stored_available: int,
    named_lots: Mapping[str, int] | None = None,
) -> Drift | None:
    """Every way the wallet can disagree with its ledger, its holds or itself; None when
    it agrees. `named_lots` is, for each of its lots, what the entries and redemptions
    that name the lot say it holds (see `lot_moves`)."""
    problems = []
    if wallet.available + wallet.held != ledger_sum:
        problems.append(f"available {wallet.available} + held {wallet.held} != ledger {ledger_sum}")
    if stored_available != wallet.available:
        problems.append(f"stored available {stored_available} != lots {wallet.available}")
    if wallet.held != open_holds:
        problems.append(f"held {wallet.held} != open holds {open_holds}")
    for lot in wallet.lots:
        if not 0 <= lot.remaining <= lot.earned:
            problems.append(f"lot {lot.lot_id} holds {lot.remaining} of {lot.earned}")
        named = (named_lots or {}).get(lot.lot_id, 0)
        if named_lots is not None and named != lot.remaining:
            problems.append(
                f"lot {lot.lot_id} holds {lot.remaining}, the entries and holds naming it {named}"
            )
    for pending in wallet.pending_lots:
        waiting = sum(p.points for p in pending.postings)
        if not 0 <= pending.lot.remaining == waiting:
            problems.append(
                f"pending lot {pending.lot.lot_id} holds {pending.lot.remaining}, "
                f"its entries {waiting}"
            )
    if wallet.debt < 0 or (wallet.debt > 0 and any(lot.remaining for lot in wallet.lots)):
        problems.append(f"debt {wallet.debt} beside points in lots")
    if not problems:
        return None
    return Drift(wallet.tenant_id, wallet.member_id, tuple(problems))


def stray_lot(lot_id: str, named: int) -> str:
    """A lot in no wallet, whose entries and redemptions say it still holds points."""
    return f"lot {lot_id} is in no wallet, the entries and holds naming it say {named}"
