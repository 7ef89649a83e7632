"""What an order earns: base on the amount paid, tier extra, campaign bonuses, and the lot."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from libs.errors import InvalidArgument
from services.points.domain.accrual import CampaignBonus, Source, breakdown, credit, tier_extra
from services.points.domain.earning import EarningRule
from services.points.domain.expiry_policy import add_months
from services.points.domain.ledger import EntryType, rows
from services.points.domain.orders import MemberContext, Order, OrderLine
from services.points.domain.pricing import apportion, price
from services.points.domain.wallet import Wallet

NOW = datetime(2026, 11, 25, 2, 15, tzinfo=UTC)
RULE = EarningRule(
    currency="CNY",
    points_per_unit=Decimal(1),
    excluded_categories=frozenset({"gift_cards"}),
    excluded_skus=frozenset({"BAG-9"}),
    expiry_months=24,
)
SHOE = OrderLine("SHOE-1", "shoes", 1, Decimal("299.00"))
SOCK = OrderLine("SOCK-2", "accessories", 1, Decimal("99.00"))
GIFT = OrderLine("GIFT-3", "gift_cards", 1, Decimal("100.00"))


def order(total: str, *lines: OrderLine, store: str = "S001") -> Order:
    return Order("demo", "POS-1", "m1", "pos", store, NOW, "CNY", Decimal(total), lines)


def test_base_points_are_earned_on_the_amount_paid_not_the_list_price() -> None:
    priced = price(order("199.00", SHOE, SOCK), RULE)
    assert priced.base_points == 199
    assert [line.amount for line in priced.lines] == [Decimal("149.50"), Decimal("49.50")]
    assert sum(line.base_points for line in priced.lines) == 199


def test_excluded_categories_and_skus_earn_nothing() -> None:
    bag = OrderLine("BAG-9", "bags", 1, Decimal("50.00"))
    priced = price(order("548.00", SHOE, GIFT, bag, SOCK), RULE)
    assert priced.base_points == 398
    assert [line.base_points for line in priced.lines] == [299, 0, 0, 99]


def test_an_order_without_lines_earns_on_its_total() -> None:
    assert price(order("398.99"), RULE).base_points == 398


def test_lines_worth_nothing_cannot_carry_a_paid_total() -> None:
    free = OrderLine("PEN-1", "stationery", 1, Decimal(0))
    with pytest.raises(InvalidArgument, match="lines"):
        price(order("10.00", free), RULE)


def test_apportioned_parts_always_add_up_to_the_whole() -> None:
    assert apportion(10, [Decimal(1), Decimal(1), Decimal(1)]) == [4, 3, 3]
    assert apportion(0, [Decimal(0)]) == [0]
    assert sum(apportion(997, [Decimal("0.3"), Decimal("12.7"), Decimal(5)])) == 997


def test_a_tier_multiplier_adds_its_extra_points_rounded_down() -> None:
    assert tier_extra(398, Decimal("1.25")) == 99
    assert tier_extra(398, Decimal(1)) == 0
    assert tier_extra(398, Decimal("0.5")) == 0


def test_the_breakdown_shows_base_tier_and_campaign_with_its_version() -> None:
    gold = MemberContext("m1", "gold", "Gold", Decimal("1.5"))
    bonus = CampaignBonus("c-shoes", 2, 299, "Double points on shoes")
    lines = breakdown(price(order("398.00", SHOE, SOCK), RULE), RULE, gold, [bonus])
    assert [(line.source, line.points, line.description) for line in lines] == [
        (Source.BASE, 398, "1 point per CNY 1"),
        (Source.TIER, 199, "Gold tier \N{MULTIPLICATION SIGN}1.5"),
        (Source.CAMPAIGN, 299, "Double points on shoes (v2)"),
    ]


def test_crediting_writes_one_entry_with_a_part_per_source_and_one_lot_with_the_rules_expiry() -> (
    None
):
    wallet = Wallet("demo", "m1")
    gold = MemberContext("m1", "gold", "Gold", Decimal("1.5"))
    placed = order("398.00", SHOE, SOCK)
    bonus = CampaignBonus("c-shoes", 2, 299, "Double points on shoes")
    lines = breakdown(price(placed, RULE), RULE, gold, [bonus])
    [entry] = credit(wallet, placed, lines, lot_id="lot-1", expires_at=RULE.expiry_for(NOW), at=NOW)
    assert (entry.type, entry.points, entry.seq, entry.order_id) == (
        EntryType.EARN,
        896,
        1,
        placed.order_id,
    )
    assert [(p.type, p.points, p.reason) for p in entry.parts] == [
        (EntryType.EARN, 398, "1 point per CNY 1 at store S001"),
        (EntryType.EARN, 199, "Gold tier \N{MULTIPLICATION SIGN}1.5"),
        (EntryType.BONUS, 299, "Double points on shoes (v2)"),
    ]
    assert (entry.parts[2].campaign_id, entry.parts[2].campaign_version) == ("c-shoes", 2)
    assert [(lot.earned, lot.expires_at) for lot in wallet.lots] == [
        (896, datetime(2028, 11, 25, 2, 15, tzinfo=UTC))
    ]
    assert (wallet.available, wallet.lifetime_earned) == (896, 896)


def test_an_order_earning_on_one_line_only_writes_a_plain_entry() -> None:
    wallet = Wallet("demo", "m1")
    placed = order("398.00", SHOE, SOCK)
    lines = breakdown(price(placed, RULE), RULE, MemberContext("m1"), [])
    [entry] = credit(wallet, placed, lines, lot_id="lot-1", expires_at=None, at=NOW)
    assert (entry.type, entry.points, entry.parts) == (EntryType.EARN, 398, ())
    assert entry.reason == "1 point per CNY 1 at store S001"


def test_an_entry_with_parts_reads_as_one_row_per_line_like_entries_written_before() -> None:
    wallet = Wallet("demo", "m1")
    gold = MemberContext("m1", "gold", "Gold", Decimal("1.5"))
    placed = order("398.00", SHOE, SOCK)
    bonus = CampaignBonus("c-shoes", 2, 299, "Double points on shoes")
    lines = breakdown(price(placed, RULE), RULE, gold, [bonus])
    [entry] = credit(wallet, placed, lines, lot_id="lot-1", expires_at=None, at=NOW)
    entry = dataclasses.replace(entry, lots=(("lot-1", 896),))
    shown = rows(entry)
    assert [(r.entry_id, r.type, r.points, r.campaign_id) for r in shown] == [
        (entry.entry_id, EntryType.EARN, 398, ""),
        (f"{entry.entry_id}.1", EntryType.EARN, 199, ""),
        (f"{entry.entry_id}.2", EntryType.BONUS, 299, "c-shoes"),
    ]
    assert {(r.seq, r.order_id) for r in shown} == {(1, placed.order_id)}
    assert [r.lots for r in shown] == [(), (), (("lot-1", 896),)]
    plain = dataclasses.replace(shown[0], entry_id="pe-old")
    assert rows(plain) == [plain]


def test_a_lot_expiring_on_a_day_the_month_lacks_expires_on_its_last_day() -> None:
    assert add_months(datetime(2026, 1, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2026, 11, 30, tzinfo=UTC), 3) == datetime(2027, 2, 28, tzinfo=UTC)


def test_a_fingerprint_ignores_how_an_amount_is_spelled_but_not_what_it_is() -> None:
    first = order("398.00", SHOE)
    assert first.fingerprint() == order("398", SHOE).fingerprint()
    assert first.fingerprint() != order("398.01", SHOE).fingerprint()
    assert first.fingerprint() != order("398.00", SHOE, store="S002").fingerprint()
