"""Reconciliation: does a wallet still agree with its ledger and its redemptions?"""

from __future__ import annotations

from dataclasses import dataclass

from services.points.domain.wallet import Wallet


@dataclass(frozen=True)
class Drift:
    tenant_id: str
    member_id: str
    problems: tuple[str, ...]


def check_wallet(
    wallet: Wallet, *, ledger_sum: int, open_holds: int, stored_available: int
) -> Drift | None:
    """Every way the wallet can disagree with its ledger, its holds or itself; None when
    it agrees."""
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
