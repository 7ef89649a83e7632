"""Random sequences of earn, hold, capture, cancel, return, expire, adjust and transfer
through the domain, for two members, with the ledger's invariants (see `ledger_state`)
checked after every step."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from libs.errors import FailedPrecondition
from services.points.domain import redemptions
from services.points.domain.accrual import Accrual, CampaignBonus, breakdown, credit
from services.points.domain.adjustments import Adjustment, adjust
from services.points.domain.errors import InsufficientPoints, TransferLimitExceeded
from services.points.domain.orders import MemberContext, Order, OrderLine
from services.points.domain.pricing import price
from services.points.domain.records import record_order
from services.points.domain.redemptions import RedemptionStatus
from services.points.domain.returns import ReturnRequest, reverse
from services.points.domain.transfers import Transfer, transfer
from services.points.tests.unit.ledger_state import (
    MEMBERS,
    RULE,
    SKUS,
    LedgerState,
    line_sets,
    members,
)


class LedgerMachine(LedgerState):
    @rule(
        member_id=members,
        lines=line_sets,
        discount=st.decimals(min_value=0, max_value=1, places=2),
        multiplier=st.sampled_from(["1", "1.25", "1.5"]),
        bonus=st.integers(0, 50),
        pending_days=st.sampled_from([0, 0, 14]),
    )
    def earn(  # noqa: PLR0917
        self,
        member_id: str,
        lines: list[tuple[str, int, Decimal]],
        discount: Decimal,
        multiplier: str,
        bonus: int,
        pending_days: int,
    ) -> None:
        order_lines = tuple(OrderLine(s, SKUS[s], q, p) for s, q, p in lines)
        paid = sum((line.amount for line in order_lines), Decimal(0)) * discount
        total = paid.quantize(Decimal("0.01"))
        order_id = f"o{len(self.orders)}"
        order = Order(
            "demo", order_id, member_id, "pos", "S001", self.now, "CNY", total, order_lines
        )
        priced = price(order, RULE)
        member = MemberContext(member_id, "gold", "Gold", Decimal(multiplier))
        earning = breakdown(priced, RULE, member, [CampaignBonus("c1", 2, bonus, "Double")])
        wallet = self.wallets[member_id]
        entries = credit(
            wallet,
            order,
            earning,
            lot_id=f"lot-{order_id}",
            expires_at=RULE.expiry_for(self.now),
            at=self.now,
            release_at=self.now + timedelta(days=pending_days),
        )
        self.book(member_id, *entries)
        points = sum(line.points for line in earning)
        answer = Accrual(order_id, member_id, points, earning, False, wallet.balance(self.now))
        self.orders.append(
            record_order(
                order,
                priced,
                answer,
                fingerprint="f",
                lot_ids=(f"lot-{order_id}",),
                created_at=self.now,
            )
        )

    @rule(member_id=members, points=st.integers(1, 400), capture=st.booleans())
    def hold(self, member_id: str, points: int, capture: bool) -> None:
        wallet = self.wallets[member_id]
        available = wallet.available
        try:
            held = redemptions.hold(
                wallet,
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
        assert wallet.available >= 0
        self.redemptions.append(held)
        if capture:
            self.book(member_id, redemptions.capture(wallet, held, self.now))

    @precondition(lambda self: self.redemptions)
    @rule(pick=st.integers(0, 1000))
    def capture(self, pick: int) -> None:
        redemption = self.redemptions[pick % len(self.redemptions)]
        wallet = self.wallets[redemption.member_id]
        try:
            self.book(redemption.member_id, redemptions.capture(wallet, redemption, self.now))
        except FailedPrecondition:
            assert redemption.status is not RedemptionStatus.CAPTURED

    @precondition(lambda self: self.redemptions)
    @rule(pick=st.integers(0, 1000))
    def cancel(self, pick: int) -> None:
        redemption = self.redemptions[pick % len(self.redemptions)]
        wallet = self.wallets[redemption.member_id]
        self.book(redemption.member_id, redemptions.cancel(wallet, redemption, self.now))

    @precondition(lambda self: self.orders)
    @rule(
        pick=st.integers(0, 1000),
        quantity=st.integers(1, 4),
        amount=st.one_of(st.none(), st.decimals(min_value="0.01", max_value=600, places=2)),
        cap=st.booleans(),
    )
    def return_order(self, pick: int, quantity: int, amount: Decimal | None, cap: bool) -> None:
        order = self.orders[pick % len(self.orders)]
        return_id = f"ret{pick}-{len(self.orders)}"
        if amount is None:
            request = ReturnRequest(return_id, lines=((order.lines[0].sku, quantity),))
        else:
            request = ReturnRequest(return_id, amount=amount)
        wallet = self.wallets[order.member_id]
        debt = wallet.debt
        _, entry, shortfall = reverse(wallet, order, request, self.now, cap_at_zero=cap)
        self.book(order.member_id, entry)
        self.let_go[order.order_id] += shortfall
        assert not cap or wallet.debt == debt, "a capped return never makes a debt"

    @rule(member_id=members, points=st.integers(-300, 300).filter(bool), allow_debt=st.booleans())
    def adjust(self, member_id: str, points: int, allow_debt: bool) -> None:
        wallet = self.wallets[member_id]
        available = wallet.available
        adjustment = Adjustment(f"adj{len(self.entries[member_id])}", member_id, points, "why")
        try:
            entry = adjust(
                wallet,
                adjustment,
                lot_id=f"lot-adj-{member_id}-{len(self.entries[member_id])}",
                expires_at=RULE.expiry_for(self.now),
                allow_debt=allow_debt,
                at=self.now,
            )
        except InsufficientPoints:
            assert not allow_debt
            assert -points > available
            return
        assert wallet.available == available + points
        self.book(member_id, entry)

    @rule(sender=members, points=st.integers(1, 300))
    def transfer(self, sender: str, points: int) -> None:
        receiver = next(m for m in MEMBERS if m != sender)
        source, target = self.wallets[sender], self.wallets[receiver]
        before = (source.available, target.available, self.points_by_expiry())
        owed = target.debt
        t = Transfer(f"t{len(self.entries[sender])}", sender, receiver, points, "gift")
        try:
            out, in_ = transfer(
                source, target, t, limit=RULE.transfer_limit_per_day, zone=RULE.zone, at=self.now
            )
        except (InsufficientPoints, TransferLimitExceeded):
            assert (source.available, target.available, self.points_by_expiry()) == before
            return
        self.book(sender, out)
        self.book(receiver, in_)
        self.transferred[(sender, self.today())] += points
        assert (source.available, target.available) == (before[0] - points, before[1] + points)
        if not owed:
            assert self.points_by_expiry() == before[2], "a transfer never moves an expiry"


LedgerMachine.TestCase.settings = settings(max_examples=300, stateful_step_count=40, deadline=None)
test_the_ledger_invariants_hold_after_every_step = LedgerMachine.TestCase
