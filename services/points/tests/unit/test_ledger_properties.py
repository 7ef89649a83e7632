"""Random sequences of earn, hold, capture, cancel, return, expire and adjust through the domain,
with the ledger's invariants checked after every step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from libs.errors import FailedPrecondition
from services.points.domain import redemptions
from services.points.domain.accrual import Accrual, CampaignBonus, breakdown, credit
from services.points.domain.adjustments import Adjustment, adjust
from services.points.domain.earning import EarningRule
from services.points.domain.errors import InsufficientPoints
from services.points.domain.expiry import expire_lots, release_pending
from services.points.domain.ledger import Entry, EntryType
from services.points.domain.orders import MemberContext, Order, OrderLine
from services.points.domain.pricing import price
from services.points.domain.records import OrderRecord, record_order
from services.points.domain.redemptions import Redemption, RedemptionStatus
from services.points.domain.returns import ReturnRequest, reverse
from services.points.domain.wallet import Wallet

RULE = EarningRule(
    currency="CNY",
    points_per_unit=Decimal(1),
    excluded_categories=frozenset({"gift_cards"}),
    expiry_months=1,
)
SKUS = {"SHOE-1": "shoes", "SOCK-2": "accessories", "GIFT-3": "gift_cards"}

prices = st.decimals(min_value=0, max_value=500, places=2)
line_sets = st.lists(
    st.tuples(st.sampled_from(sorted(SKUS)), st.integers(1, 3), prices), min_size=1, max_size=3
)


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = datetime(2026, 1, 1, tzinfo=UTC)
        self.wallet = Wallet("demo", "m1")
        self.entries: list[Entry] = []
        self.orders: list[OrderRecord] = []
        self.redemptions: list[Redemption] = []

    def _book(self, *entries: Entry | None) -> None:
        self.entries.extend(e for e in entries if e is not None)

    @rule(
        lines=line_sets,
        discount=st.decimals(min_value=0, max_value=1, places=2),
        multiplier=st.sampled_from(["1", "1.25", "1.5"]),
        bonus=st.integers(0, 50),
        pending_days=st.sampled_from([0, 0, 14]),
    )
    def earn(
        self,
        lines: list[tuple[str, int, Decimal]],
        discount: Decimal,
        multiplier: str,
        bonus: int,
        pending_days: int,
    ) -> None:
        order_lines = tuple(OrderLine(s, SKUS[s], q, p) for s, q, p in lines)
        total = (sum((line.amount for line in order_lines), Decimal(0)) * discount).quantize(
            Decimal("0.01")
        )
        order = Order(
            "demo", f"o{len(self.orders)}", "m1", "pos", "S001", self.now, "CNY", total, order_lines
        )
        priced = price(order, RULE)
        member = MemberContext("m1", "gold", "Gold", Decimal(multiplier))
        bonuses = [CampaignBonus("c1", 2, bonus, "Double points")]
        earning = breakdown(priced, RULE, member, bonuses)
        lot_id = f"lot-{order.order_id}"
        entries = credit(
            self.wallet,
            order,
            earning,
            lot_id=lot_id,
            expires_at=RULE.expiry_for(self.now),
            at=self.now,
            release_at=self.now + timedelta(days=pending_days),
        )
        self._book(*entries)
        answer = Accrual(
            order.order_id,
            "m1",
            sum(line.points for line in earning),
            earning,
            False,
            self.wallet.balance(self.now),
        )
        self.orders.append(
            record_order(
                order, priced, answer, fingerprint="f", lot_ids=(lot_id,), created_at=self.now
            )
        )

    @rule(points=st.integers(1, 400), capture=st.booleans())
    def hold(self, points: int, capture: bool) -> None:
        available = self.wallet.available
        try:
            held = redemptions.hold(
                self.wallet,
                redemption_id=f"r{len(self.redemptions)}",
                points=points,
                order_id="",
                channel="pos",
                store_id="S001",
                duration=timedelta(minutes=15),
                now=self.now,
            )
        except InsufficientPoints:
            assert points > available
            return
        assert self.wallet.available >= 0
        self.redemptions.append(held)
        if capture:
            self._book(redemptions.capture(self.wallet, held, self.now))

    @precondition(lambda self: self.redemptions)
    @rule(pick=st.integers(0, 1000))
    def capture(self, pick: int) -> None:
        redemption = self.redemptions[pick % len(self.redemptions)]
        try:
            self._book(redemptions.capture(self.wallet, redemption, self.now))
        except FailedPrecondition:
            assert redemption.status is not RedemptionStatus.CAPTURED

    @precondition(lambda self: self.redemptions)
    @rule(pick=st.integers(0, 1000))
    def cancel(self, pick: int) -> None:
        redemption = self.redemptions[pick % len(self.redemptions)]
        self._book(redemptions.cancel(self.wallet, redemption, self.now))

    @precondition(lambda self: self.orders)
    @rule(
        pick=st.integers(0, 1000),
        quantity=st.integers(1, 4),
        amount=st.one_of(st.none(), st.decimals(min_value="0.01", max_value=600, places=2)),
    )
    def return_order(self, pick: int, quantity: int, amount: Decimal | None) -> None:
        order = self.orders[pick % len(self.orders)]
        if amount is None:
            request = ReturnRequest(
                f"ret{len(self.entries)}", lines=((order.lines[0].sku, quantity),)
            )
        else:
            request = ReturnRequest(f"ret{len(self.entries)}", amount=amount)
        self._book(reverse(self.wallet, order, request, self.now)[1])

    @rule(points=st.integers(-300, 300).filter(bool), allow_debt=st.booleans())
    def adjust(self, points: int, allow_debt: bool) -> None:
        available = self.wallet.available
        adjustment = Adjustment(f"adj{len(self.entries)}", "m1", points, "goodwill")
        try:
            entry = adjust(
                self.wallet,
                adjustment,
                lot_id=f"lot-adj{len(self.entries)}",
                expires_at=RULE.expiry_for(self.now),
                allow_debt=allow_debt,
                at=self.now,
            )
        except InsufficientPoints:
            assert not allow_debt
            assert -points > available
            return
        assert self.wallet.available == available + points
        self._book(entry)

    @rule(days=st.integers(1, 40))
    def time_passes_and_due_things_expire(self, days: int) -> None:
        self.now += timedelta(days=days)
        self._book(*release_pending(self.wallet, self.now))
        for redemption in self.redemptions:
            redemptions.expire(self.wallet, redemption, self.now)
        self._book(*expire_lots(self.wallet, self.now))

    @invariant()
    def the_entries_sum_to_available_plus_held(self) -> None:
        assert self.wallet.available + self.wallet.held == sum(e.points for e in self.entries)

    @invariant()
    def no_lot_is_negative_or_above_what_it_earned(self) -> None:
        assert all(0 <= lot.remaining <= lot.earned for lot in self.wallet.lots)
        assert self.wallet.debt >= 0
        assert self.wallet.debt == 0 or not self.wallet.lots

    @invariant()
    def pending_points_are_what_their_unwritten_entries_will_add(self) -> None:
        for pending in self.wallet.pending_lots:
            assert 0 <= pending.lot.remaining == sum(p.points for p in pending.postings)
        assert self.wallet.balance(self.now).pending == self.wallet.pending

    @invariant()
    def held_is_what_the_open_holds_hold(self) -> None:
        open_holds = [r for r in self.redemptions if r.status is RedemptionStatus.HELD]
        assert self.wallet.held == sum(r.points for r in open_holds)

    @invariant()
    def no_order_gives_back_more_than_it_earned(self) -> None:
        for order in self.orders:
            written = [
                e.points
                for e in self.entries
                if e.type is EntryType.REVERSE and e.order_id == order.order_id
            ]
            waiting = [
                p.points
                for pending in self.wallet.pending_lots
                for p in pending.postings
                if p.type is EntryType.REVERSE and p.order_id == order.order_id
            ]
            assert -sum(written + waiting) == order.reversed_points <= order.points_earned


LedgerMachine.TestCase.settings = settings(max_examples=300, stateful_step_count=40, deadline=None)
test_the_ledger_invariants_hold_after_every_step = LedgerMachine.TestCase
