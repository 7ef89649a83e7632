"""A member's wallet: live lots, held points and debt. The balance is its projection."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from libs.ids import new_id
from services.points.domain.balances import Balance, ExpiringPoints
from services.points.domain.errors import InsufficientPoints
from services.points.domain.ledger import Entry, EntryType, LotMoves, Posting
from services.points.domain.lots import Lot, LotTake, PendingLot, put_back, take, taken

EXPIRING_HORIZON = timedelta(days=30)


@dataclass
class Wallet:
    """`available` is what the lots hold less any debt; a debt exists only while every lot
    is empty, because whatever comes into a lot pays the debt first. Pending lots are
    neither available nor in the ledger until released."""

    tenant_id: str
    member_id: str
    held: int = 0
    debt: int = 0
    lifetime_earned: int = 0
    lots: list[Lot] = field(default_factory=list)
    pending_lots: list[PendingLot] = field(default_factory=list)
    next_seq: int = 1
    # What the member transferred to others on `transfers_day` (the tenant's day).
    transfers_day: str = ""
    transferred_that_day: int = 0
    # Lots whose coming expiry was announced (points.expiring), with that expiry, kept
    # until it passes, so that each lot is announced once.
    expiry_warnings: dict[str, datetime] = field(default_factory=dict)
    version: int = 0
    # What each lot held when the wallet was read or its moves last named (see
    # `lot_moves`); not stored.
    lot_mark: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def available(self) -> int:
        return sum(lot.remaining for lot in self.lots) - self.debt

    @property
    def pending(self) -> int:
        return sum(p.lot.remaining for p in self.pending_lots)

    def post(self, posting: Posting, at: datetime, lots: LotMoves = ()) -> Entry:
        """The next entry of this member's ledger; `lots` names moves of lots made earlier,
        by a hold it captures (see `lot_moves`)."""
        entry = Entry(
            new_id("pe"),
            self.next_seq,
            posting.type,
            posting.points,
            posting.reason,
            at,
            order_id=posting.order_id,
            return_id=posting.return_id,
            redemption_id=posting.redemption_id,
            campaign_id=posting.campaign_id,
            campaign_version=posting.campaign_version,
            adjustment_id=posting.adjustment_id,
            transfer_id=posting.transfer_id,
            lots=lots,
            parts=posting.parts,
            reason_code=posting.reason_code,
            reason_params=posting.reason_params,
        )
        self.next_seq += 1
        return entry

    def entry(
        self,
        type_: EntryType,
        points: int,
        reason: str,
        at: datetime,
        *,
        order_id: str = "",
        return_id: str = "",
        redemption_id: str = "",
        adjustment_id: str = "",
        transfer_id: str = "",
        lots: LotMoves = (),
        reason_code: str = "",
        reason_params: Mapping[str, str] | None = None,
    ) -> Entry:
        posting = Posting(
            type_,
            points,
            reason,
            order_id=order_id,
            return_id=return_id,
            redemption_id=redemption_id,
            adjustment_id=adjustment_id,
            transfer_id=transfer_id,
            reason_code=reason_code,
            reason_params=tuple((reason_params or {}).items()),
        )
        return self.post(posting, at, lots)

    def transferred_on(self, day: str) -> int:
        return self.transferred_that_day if self.transfers_day == day else 0

    def count_transfer(self, day: str, points: int) -> None:
        self.transferred_that_day = self.transferred_on(day) + points
        self.transfers_day = day

    def pending_lot(self, lot_ids: Collection[str]) -> PendingLot | None:
        return next((p for p in self.pending_lots if p.lot.lot_id in lot_ids), None)

    def mark_lots(self) -> None:
        """The lots' moves so far are named elsewhere (or the wallet was just read)."""
        self.lot_mark = {lot.lot_id: lot.remaining for lot in self.lots}

    def add_lot(self, lot: Lot) -> None:
        self.lots.append(lot)
        self._settle_debt()

    def spend(self, points: int) -> list[LotTake]:
        """Take points from the lots, soonest expiry first; never below zero."""
        if points > self.available:
            raise InsufficientPoints(self.available, points)
        takes = take(self.lots, points)
        self._drop_empty_lots()
        return takes

    def give_back(self, takes: Iterable[LotTake]) -> list[LotTake]:
        """Return spent points to the lots they came from; what of them paid a debt."""
        put_back(self.lots, takes)
        return self._settle_debt()

    def claw_back(self, points: int, order_lots: Collection[str], *, debt: bool = True) -> int:
        """Take back points the member no longer deserves: from the order's own lots, then the
        soonest expiring. What is already spent becomes debt, or with `debt=False` is let
        go. Returns that shortfall."""
        shortfall = points - taken(take(self.lots, points, first=order_lots))
        if debt:
            self.debt += shortfall
        self._drop_empty_lots()
        return shortfall

    def expire_due(self, now: datetime) -> list[tuple[Lot, int]]:
        """Empty every lot whose expiry has come; what each one lost."""
        expired = []
        for lot in self.lots:
            if lot.expires_at is not None and lot.expires_at <= now and lot.remaining > 0:
                expired.append((lot, lot.remaining))
                lot.remaining = 0
        self._drop_empty_lots()
        return expired

    def expiring(self, now: datetime, horizon: timedelta | None) -> tuple[ExpiringPoints, ...]:
        """What the lots lose by `now + horizon` (None: ever), by expiry, soonest first."""
        due: dict[datetime, int] = defaultdict(int)
        for lot in self.lots:
            if lot.expires_at is None:
                continue
            if horizon is None or lot.expires_at <= now + horizon:
                due[lot.expires_at] += lot.remaining
        return tuple(ExpiringPoints(p, at) for at, p in sorted(due.items()) if p > 0)

    def balance(self, now: datetime) -> Balance:
        return Balance(
            available=self.available,
            held=self.held,
            pending=self.pending,
            lifetime_earned=self.lifetime_earned,
            expiring=self.expiring(now, EXPIRING_HORIZON),
            lots=self.expiring(now, None),
        )

    def _settle_debt(self) -> list[LotTake]:
        settled = take(self.lots, self.debt) if self.debt > 0 else []
        self.debt -= taken(settled)
        self._drop_empty_lots()
        return settled

    def _drop_empty_lots(self) -> None:
        self.lots = [lot for lot in self.lots if lot.remaining > 0]
