"""A merged member's wallet moves into the survivor's, and both ledgers still balance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.points.domain import redemptions
from services.points.domain.ledger import Entry, EntryType
from services.points.domain.lots import Lot, PendingLot
from services.points.domain.merge import merge_wallet
from services.points.domain.redemptions import Redemption
from services.points.domain.wallet import Wallet

NOW = datetime(2026, 6, 1, tzinfo=UTC)


@dataclass
class Book:
    """A wallet and its ledger, moved only through the domain's own operations."""

    wallet: Wallet
    entries: list[Entry] = field(default_factory=list)
    holds: list[Redemption] = field(default_factory=list)

    def earn(self, points: int, expires_in_days: int | None = 365) -> Lot:
        order_id = f"o-{self.wallet.member_id}-{len(self.entries)}"
        expires = NOW + timedelta(days=expires_in_days) if expires_in_days else None
        lot = Lot(f"lot-{order_id}", order_id, points, points, NOW, expires)
        self.wallet.lifetime_earned += points
        self.wallet.add_lot(lot)
        self.entries.append(self.wallet.entry(EntryType.EARN, points, "earned", NOW))
        return lot

    def hold(self, points: int) -> None:
        held = redemptions.hold(
            self.wallet,
            redemption_id=f"r-{len(self.holds)}",
            points=points,
            order_id="",
            channel="app",
            store_id="",
            duration=timedelta(minutes=15),
            now=NOW,
        )
        self.holds.append(held)

    def capture_last(self) -> None:
        entry = redemptions.capture(self.wallet, self.holds[-1], NOW)
        assert entry is not None
        self.entries.append(entry)

    def return_points(self, points: int) -> None:
        self.wallet.claw_back(points, ())
        self.entries.append(self.wallet.entry(EntryType.REVERSE, -points, "returned", NOW))

    def book(self, entry: Entry | None) -> None:
        if entry is not None:
            self.entries.append(entry)

    def balances(self) -> bool:
        return self.wallet.available + self.wallet.held == sum(e.points for e in self.entries)


def merged(survivor: Book, gone: Book) -> None:
    moved = merge_wallet(gone.wallet, survivor.wallet, NOW)
    gone.book(moved.out_entry)
    survivor.book(moved.in_entry)


def test_lots_move_with_their_expiry_and_the_survivor_holds_the_sum() -> None:
    survivor, gone = Book(Wallet("demo", "m1")), Book(Wallet("demo", "m2"))
    survivor.earn(100)
    soon = gone.earn(300, expires_in_days=30)
    never = gone.earn(50, expires_in_days=None)

    merged(survivor, gone)

    lots = {lot.lot_id: lot for lot in survivor.wallet.lots}
    assert (lots[soon.lot_id].expires_at, lots[never.lot_id].expires_at) == (
        soon.expires_at,
        None,
    )
    assert (survivor.wallet.available, gone.wallet.available) == (450, 0)
    assert [(e.type, e.points) for e in gone.entries[-1:] + survivor.entries[-1:]] == [
        (EntryType.MERGE_OUT, -350),
        (EntryType.MERGE_IN, 350),
    ]
    assert survivor.balances()
    assert gone.balances()


def test_held_points_move_and_a_moved_hold_is_captured_from_the_survivor() -> None:
    survivor, gone = Book(Wallet("demo", "m1")), Book(Wallet("demo", "m2"))
    gone.earn(200)
    gone.hold(120)

    merged(survivor, gone)
    survivor.holds.append(gone.holds.pop())
    survivor.capture_last()

    assert (survivor.wallet.available, survivor.wallet.held) == (80, 0)
    assert (gone.wallet.available, gone.wallet.held) == (0, 0)
    assert survivor.balances()
    assert gone.balances()


def test_a_debt_moves_and_the_survivor_s_points_pay_it() -> None:
    survivor, gone = Book(Wallet("demo", "m1")), Book(Wallet("demo", "m2"))
    survivor.earn(500)
    gone.earn(100)
    gone.hold(100)
    gone.capture_last()
    gone.return_points(60)

    merged(survivor, gone)

    assert gone.entries[-1].points == 60  # the debt leaves the merged member's ledger
    assert (survivor.wallet.available, survivor.wallet.debt) == (440, 0)
    assert survivor.balances()
    assert gone.balances()


def test_pending_points_move_without_an_entry_until_they_are_released() -> None:
    survivor, gone = Book(Wallet("demo", "m1")), Book(Wallet("demo", "m2"))
    waiting = Lot("lot-p", "o-p", 70, 70, NOW, None)
    gone.wallet.pending_lots.append(PendingLot(waiting, NOW + timedelta(days=7), []))

    moved = merge_wallet(gone.wallet, survivor.wallet, NOW)

    assert (moved.points, moved.pending, moved.out_entry) == (0, 70, None)
    assert (survivor.wallet.pending, gone.wallet.pending) == (70, 0)


operations = st.lists(
    st.tuples(st.sampled_from(["earn", "hold", "capture", "return"]), st.integers(1, 400)),
    max_size=12,
)


def apply(book: Book, steps: list[tuple[str, int]]) -> None:
    for op, points in steps:
        if op == "earn":
            book.earn(points, expires_in_days=points % 3 and points)
        elif op == "hold" and book.wallet.available >= points:
            book.hold(points)
        elif op == "capture" and book.holds and book.holds[-1].status.value == "held":
            book.capture_last()
        elif op == "return":
            book.return_points(points)


@given(survivor_steps=operations, gone_steps=operations)
def test_any_two_wallets_merge_into_one_that_balances_and_loses_no_lot(
    survivor_steps: list[tuple[str, int]], gone_steps: list[tuple[str, int]]
) -> None:
    survivor, gone = Book(Wallet("demo", "m1")), Book(Wallet("demo", "m2"))
    apply(survivor, survivor_steps)
    apply(gone, gone_steps)
    total = sum(e.points for e in survivor.entries + gone.entries)
    expiries = {lot.lot_id: lot.expires_at for lot in gone.wallet.lots}

    merged(survivor, gone)

    assert survivor.balances()
    assert gone.balances()
    assert survivor.wallet.available + survivor.wallet.held == total
    assert gone.wallet.available == gone.wallet.held == gone.wallet.debt == 0
    after = {lot.lot_id: lot.expires_at for lot in survivor.wallet.lots}
    assert all(after.get(lot_id, at) == at for lot_id, at in expiries.items())
    assert survivor.wallet.debt == 0 or not any(lot.remaining for lot in survivor.wallet.lots)
