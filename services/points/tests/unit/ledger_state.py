"""The state of the ledger property test (two members' wallets), its strategies, and the
invariants checked after every step."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from services.points.domain import redemptions
from services.points.domain.earning import EarningRule
from services.points.domain.expiry import announce_expiring, expire_lots, release_pending
from services.points.domain.ledger import Entry, EntryType
from services.points.domain.lot_moves import attach_lot_moves
from services.points.domain.records import OrderRecord
from services.points.domain.redemptions import Redemption, RedemptionStatus
from services.points.domain.wallet import Wallet

MEMBERS = ("m1", "m2")
SKUS = {"SHOE-1": "shoes", "SOCK-2": "accessories", "GIFT-3": "gift_cards"}
members = st.sampled_from(MEMBERS)
prices = st.decimals(min_value=0, max_value=500, places=2)
line_sets = st.lists(
    st.tuples(st.sampled_from(sorted(SKUS)), st.integers(1, 3), prices), min_size=1, max_size=3
)
RULE = EarningRule(
    currency="CNY",
    points_per_unit=Decimal(1),
    excluded_categories=frozenset({"gift_cards"}),
    expiry_months=1,
    transfer_limit_per_day=500,
    time_zone="Asia/Shanghai",
)


class LedgerState(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = datetime(2026, 1, 1, tzinfo=UTC)
        self.wallets = {m: Wallet("demo", m) for m in MEMBERS}
        self.entries: dict[str, list[Entry]] = {m: [] for m in MEMBERS}
        self.orders: list[OrderRecord] = []
        self.redemptions: list[Redemption] = []
        # Points each member transferred out, by the tenant's day.
        self.transferred: Counter[tuple[str, str]] = Counter()
        self.announced: set[str] = set()
        # What capped returns did not take back, by order.
        self.let_go: Counter[str] = Counter()

    def book(self, member_id: str, *entries: Entry | None) -> None:
        """As the entry repository writes them: with the lots' moves they name."""
        written = [e for e in entries if e is not None]
        self.entries[member_id].extend(attach_lot_moves(self.wallets[member_id], written))

    def announce(self, member_id: str) -> None:
        """The sweep's announcements: never twice for a lot, whatever came between."""
        for lot in announce_expiring(self.wallets[member_id], self.now):
            assert lot.lot_id not in self.announced, f"{lot.lot_id} announced twice"
            self.announced.add(lot.lot_id)

    def points_by_expiry(self) -> Counter[datetime | None]:
        """Every live point of both members, by when it expires."""
        found: Counter[datetime | None] = Counter()
        for wallet in self.wallets.values():
            for lot in wallet.lots:
                found[lot.expires_at] += lot.remaining
        return found

    @rule(hours=st.integers(1, 40 * 24))
    def time_passes_and_due_things_expire(self, hours: int) -> None:
        self.now += timedelta(hours=hours)
        for member_id, wallet in self.wallets.items():
            self.book(member_id, *release_pending(wallet, self.now))
            for redemption in self.redemptions:
                if redemption.member_id == member_id:
                    redemptions.expire(wallet, redemption, self.now)
            self.book(member_id, *expire_lots(wallet, self.now))
            self.announce(member_id)

    @invariant()
    def the_entries_sum_to_available_plus_held(self) -> None:
        for m, wallet in self.wallets.items():
            assert wallet.available + wallet.held == sum(e.points for e in self.entries[m])

    @invariant()
    def no_lot_is_negative_or_above_what_it_earned(self) -> None:
        for wallet in self.wallets.values():
            assert all(0 <= lot.remaining <= lot.earned for lot in wallet.lots)
            assert wallet.debt >= 0
            assert wallet.debt == 0 or not wallet.lots

    @invariant()
    def pending_points_are_what_their_unwritten_entries_will_add(self) -> None:
        for wallet in self.wallets.values():
            for pending in wallet.pending_lots:
                assert 0 <= pending.lot.remaining == sum(p.points for p in pending.postings)
            assert wallet.balance(self.now).pending == wallet.pending

    @invariant()
    def held_is_what_the_open_holds_hold(self) -> None:
        for m, wallet in self.wallets.items():
            open_holds = [
                r
                for r in self.redemptions
                if r.status is RedemptionStatus.HELD and r.member_id == m
            ]
            assert wallet.held == sum(r.points for r in open_holds)

    def today(self) -> str:
        return self.now.astimezone(RULE.zone).date().isoformat()

    @invariant()
    def no_member_transfers_more_than_the_daily_limit(self) -> None:
        assert all(points <= RULE.transfer_limit_per_day for points in self.transferred.values())
        for m, wallet in self.wallets.items():
            assert wallet.transferred_on(self.today()) == self.transferred[(m, self.today())]

    @invariant()
    def no_order_gives_back_more_than_it_earned(self) -> None:
        for order in self.orders:
            written = [
                e.points
                for e in self.entries[order.member_id]
                if e.type is EntryType.REVERSE and e.order_id == order.order_id
            ]
            waiting = [
                p.points
                for pending in self.wallets[order.member_id].pending_lots
                for p in pending.postings
                if p.type is EntryType.REVERSE and p.order_id == order.order_id
            ]
            taken = -sum(written + waiting) + self.let_go[order.order_id]
            assert taken == order.reversed_points <= order.points_earned

    @invariant()
    def every_lot_holds_what_the_entries_and_redemptions_naming_it_say(self) -> None:
        named: Counter[str] = Counter()
        for entries in self.entries.values():
            for entry in entries:
                named.update(dict(entry.lots))
        for r in self.redemptions:
            gone = r.takes if r.status is RedemptionStatus.HELD else r.debt_paid
            named.subtract({t.lot_id: t.points for t in gone})
        held = Counter({lot.lot_id: lot.remaining for w in self.wallets.values() for lot in w.lots})
        for lot_id in set(named) | set(held):
            assert named[lot_id] == held[lot_id], f"lot {lot_id}"
