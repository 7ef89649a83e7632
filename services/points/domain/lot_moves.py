"""Each entry names what its command did to the member's lots, so that every lot can be
reconciled: what a lot holds is what the entries that name it moved, less what open holds
took from it and what the released holds that name it paid of a debt.

The moves are found, not told: the wallet remembers what its lots held when read, and the
difference goes with the entries when they are written (`EntryRepository.add`). Commands
that move lots without an entry name the moves themselves: a hold (its takes), a hold
released (its takes back, and any debt they paid), so they mark the lots afterwards.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence

from services.points.domain.ledger import Entry, LotMoves
from services.points.domain.wallet import Wallet


def moves_since_mark(wallet: Wallet) -> Counter[str]:
    now = Counter({lot.lot_id: lot.remaining for lot in wallet.lots})
    moves = Counter(now)
    moves.subtract(wallet.lot_mark)
    return Counter({lot_id: points for lot_id, points in moves.items() if points})


def attach_lot_moves(wallet: Wallet, entries: Sequence[Entry]) -> list[Entry]:
    """The entries, the last one carrying the lots' moves since the mark (with any it
    names already); the moves are then named."""
    if not entries:
        return list(entries)
    moves = moves_since_mark(wallet)
    wallet.mark_lots()
    if not moves:
        return list(entries)
    last = entries[-1]
    moves.update(dict(last.lots))
    named: LotMoves = tuple(sorted((k, v) for k, v in moves.items() if v))
    return [*entries[:-1], dataclasses.replace(last, lots=named)]
