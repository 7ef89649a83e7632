"""Every entry the points service writes carries a reason code whose English rendering is
the stored text, and which reads in Chinese for a Chinese reader."""

# ruff: noqa: RUF001
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from libs import reasons
from libs.reasons import render
from services.points.domain import redemptions
from services.points.domain.accrual import CampaignBonus, breakdown, credit
from services.points.domain.adjustments import adjust, parse_adjustment
from services.points.domain.expiry import expire_lots
from services.points.domain.ledger import Entry, rows
from services.points.domain.merge import merge_wallet
from services.points.domain.orders import MemberContext
from services.points.domain.pricing import price
from services.points.domain.returns import ReturnRequest, reverse
from services.points.domain.transfers import parse_transfer, transfer
from services.points.domain.wallet import Wallet
from services.points.tests.unit.samples import NOW, hold, lot, wallet
from services.points.tests.unit.test_earning import RULE, SHOE, SOCK, order
from services.points.tests.unit.test_returns import order_record


def read(entry: Entry, locale: str) -> str:
    return render(entry.reason_code, dict(entry.reason_params), "(stored)", locale)


def reads_as_stored_in_english(entry: Entry) -> bool:
    return entry.reason_code in reasons.CODES and read(entry, "en") == entry.reason


def test_an_orders_base_tier_and_campaign_lines_each_carry_their_code() -> None:
    gold = MemberContext("m1", "gold", "Gold", Decimal("1.5"))
    placed = order("398.00", SHOE, SOCK)
    bonus = CampaignBonus("c-shoes", 2, 299, "Double points on shoes", names=(("zh-CN", "鞋"),))
    lines = breakdown(price(placed, RULE), RULE, gold, [bonus])
    [entry] = credit(Wallet("demo", "m1"), placed, lines, lot_id="l", expires_at=None, at=NOW)
    shown = rows(entry)
    assert [row.reason_code for row in shown] == ["purchase", "tier_bonus", "campaign_bonus"]
    assert all(reads_as_stored_in_english(row) for row in shown)
    assert [read(row, "zh-CN") for row in shown] == [
        f"订单 {placed.order_id}：每 CNY 1 元积 1 分（门店 S001）",
        "Gold等级 \N{MULTIPLICATION SIGN}1.5",
        "鞋 (v2)",
    ]


def test_an_orders_tier_line_carries_the_tiers_names_and_reads_in_the_readers_language() -> None:
    gold = MemberContext("m1", "gold", "Gold", Decimal("1.5"), tier_names=(("zh-CN", "金卡会员"),))
    placed = order("398.00", SHOE, SOCK)
    lines = breakdown(price(placed, RULE), RULE, gold, [])
    [entry] = credit(Wallet("demo", "m1"), placed, lines, lot_id="l", expires_at=None, at=NOW)
    [tier_line] = [row for row in rows(entry) if row.reason_code == reasons.TIER_BONUS]
    assert dict(tier_line.reason_params)["tier.zh-CN"] == "金卡会员"
    assert read(tier_line, "en") == tier_line.reason == "Gold tier \N{MULTIPLICATION SIGN}1.5"
    assert read(tier_line, "zh-CN") == "金卡会员等级 \N{MULTIPLICATION SIGN}1.5"


def test_a_return_carries_its_order_and_share() -> None:
    w = wallet(lot("lot-1", 398, 30))
    _, entry, _ = reverse(
        w, order_record(398, "lot-1"), ReturnRequest("r", amount=Decimal(99)), NOW
    )
    assert entry is not None
    assert reads_as_stored_in_english(entry)
    assert read(entry, "zh-CN") == "订单 o-1 退货 CNY 99"


def test_a_return_of_spent_points_let_go_says_so_in_both_languages() -> None:
    w = wallet(lot("lot-1", 398, 30))
    w.spend(300)
    _, entry, _ = reverse(
        w,
        order_record(398, "lot-1"),
        ReturnRequest("r", amount=Decimal(398)),
        NOW,
        cap_at_zero=True,
    )
    assert entry is not None
    assert reads_as_stored_in_english(entry)
    assert read(entry, "zh-CN") == "订单 o-1 退货 CNY 398（300 积分已使用，未扣回）"


def test_a_capture_and_its_cancel_carry_where_the_points_were_redeemed() -> None:
    w = wallet(lot("lot-1", 100, 30))
    held = hold(w, 40)
    captured = redemptions.capture(w, held, NOW)
    cancelled = redemptions.cancel(w, held, NOW)
    assert captured is not None
    assert reads_as_stored_in_english(captured)
    assert cancelled is not None
    assert reads_as_stored_in_english(cancelled)
    assert read(captured, "zh-CN") == "积分兑换（门店 S001）"
    assert read(cancelled, "zh-CN") == "已取消：积分兑换（门店 S001）"


def test_expired_points_carry_when_and_on_which_order_they_were_earned() -> None:
    w = wallet(lot("lot-1", 100, 1))
    [entry] = expire_lots(w, NOW + timedelta(days=2))
    assert reads_as_stored_in_english(entry)
    assert read(entry, "zh-CN") == "积分过期：2026-05-31 获得（订单 o-lot-1）"


def test_an_adjustment_shows_the_operators_text_as_typed() -> None:
    adjustment = parse_adjustment("a-1", "m1", 50, "goodwill for a late parcel")
    entry = adjust(wallet(), adjustment, lot_id="l", expires_at=None, allow_debt=False, at=NOW)
    assert (entry.reason_code, reads_as_stored_in_english(entry)) == ("adjustment", True)
    assert read(entry, "zh-CN") == "人工调整：goodwill for a late parcel"


def test_a_transfer_names_the_other_member_on_both_sides() -> None:
    sender, receiver = wallet(lot("lot-1", 100, 30)), Wallet("demo", "m2")
    t = parse_transfer("t-1", "m1", "m2", 30, "for mum")
    out, in_ = transfer(sender, receiver, t, limit=1000, zone=ZoneInfo("UTC"), at=NOW)
    assert reads_as_stored_in_english(out)
    assert reads_as_stored_in_english(in_)
    assert (read(out, "zh-CN"), read(in_, "zh-CN")) == (
        "转出至会员 m2：for mum",
        "由会员 m1 转入：for mum",
    )


def test_a_merge_names_the_other_member_on_both_sides() -> None:
    gone, survivor = wallet(lot("lot-1", 100, 30)), Wallet("demo", "m2")
    moved = merge_wallet(gone, survivor, NOW)
    assert moved.out_entry is not None
    assert moved.in_entry is not None
    assert reads_as_stored_in_english(moved.out_entry)
    assert reads_as_stored_in_english(moved.in_entry)
    assert (read(moved.out_entry, "zh-CN"), read(moved.in_entry, "zh-CN")) == (
        "合并至会员 m2",
        "由会员 m1 合并",
    )
