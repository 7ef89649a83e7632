from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gateway.access.touchpoints import Touchpoint
from gateway.points.bodies import RedemptionBody, ReturnBody
from gateway.points.translate import (
    hold_request,
    ledger_from_proto,
    order_from_proto,
    points_from_proto,
    redemption_from_proto,
    return_request,
)
from gateway.shared.members import member_context
from gateway.shared.purchases import OrderBody, accrue_request
from libs.ids import new_id
from libs.timestamps import timestamp
from loyalty.member.v1 import member_pb2
from loyalty.points.v1 import points_pb2 as pb

WHEN = datetime(2026, 11, 25, 2, 15, tzinfo=UTC)


def an_order(order_id: str) -> OrderBody:
    return OrderBody.model_validate(
        {
            "order_id": order_id,
            "member_id": new_id("mem_"),
            "occurred_at": "2026-11-25T10:15:00+08:00",
            "currency": "CNY",
            "total": "398.10",
            "lines": [
                {"sku": "SHOE-1", "category": "shoes", "quantity": 1, "unit_price": "299.00"},
                {"sku": "SOCK-2", "category": "socks", "quantity": 3, "unit_price": "33.70"},
            ],
        }
    )


def test_an_order_reaches_the_service_with_money_as_the_strings_the_till_sent() -> None:
    order_id = new_id("POS-")
    context = pb.MemberContext(member_id=new_id("mem_"))

    rpc = accrue_request(
        an_order(order_id), tenant_id="demo", at=Touchpoint("pos", "S001"), member=context
    )

    assert (rpc.tenant_id, rpc.order_id, rpc.channel, rpc.store_id) == (
        "demo",
        order_id,
        "pos",
        "S001",
    )
    assert (rpc.currency, rpc.total) == ("CNY", "398.10")
    assert [(line.sku, line.quantity, line.unit_price) for line in rpc.lines] == [
        ("SHOE-1", 1, "299.00"),
        ("SOCK-2", 3, "33.70"),
    ]
    assert rpc.occurred_at.ToDatetime(tzinfo=UTC) == WHEN
    assert rpc.member == context


def test_the_member_context_carries_the_tier_and_enrolment() -> None:
    member_id = new_id("mem_")
    member = member_pb2.ResolveMemberResponse(
        member_id=member_id,
        tier=member_pb2.TierState(code="gold", name="Gold", multiplier="1.5"),
        enrolled_at=timestamp(WHEN),
    )

    context = member_context(member)

    assert (context.member_id, context.tier_code, context.tier_name) == (member_id, "gold", "Gold")
    assert context.tier_multiplier == "1.5"
    assert context.enrolled_at.ToDatetime(tzinfo=UTC) == WHEN


def test_the_member_s_birth_month_goes_to_the_points_service() -> None:
    member = member_pb2.ResolveMemberResponse(member_id=new_id("mem_"), birth_month=11)

    assert member_context(member).birth_month == 11


def test_a_member_without_a_tier_earns_at_the_neutral_multiplier() -> None:
    context = member_context(member_pb2.ResolveMemberResponse(member_id=new_id("mem_")))

    assert (context.tier_code, context.tier_multiplier) == ("", "1")
    assert not context.HasField("enrolled_at")


def test_a_return_by_amount_and_one_by_lines_reach_the_service_as_sent() -> None:
    return_id = new_id("ret_")
    by_amount = ReturnBody.model_validate({"return_id": return_id, "amount": "99.00"})
    by_lines = ReturnBody.model_validate(
        {"return_id": return_id, "lines": [{"sku": "SHOE-1", "quantity": 2}]}
    )

    till = pb.Actor(channel="pos", store_id="S001", key_id="key_1")
    amount_rpc = return_request(by_amount, tenant_id="demo", order_id="o1", actor=till)
    lines_rpc = return_request(by_lines, tenant_id="demo", order_id="o1", actor=till)

    assert (amount_rpc.amount, list(amount_rpc.lines)) == ("99.00", [])
    assert lines_rpc.amount == ""
    assert [(line.sku, line.quantity) for line in lines_rpc.lines] == [("SHOE-1", 2)]
    assert amount_rpc.actor == lines_rpc.actor == till


def test_a_hold_names_the_resolved_member_and_the_touchpoint() -> None:
    survivor = new_id("mem_")
    body = RedemptionBody.model_validate(
        {"member_id": new_id("mem_"), "points": 100, "order_id": "o-1", "capture": True}
    )

    rpc = hold_request(
        body, tenant_id="demo", at=Touchpoint("app", None), member_id=survivor, key_id="key_1"
    )

    assert (rpc.member_id, rpc.points, rpc.order_id, rpc.channel, rpc.store_id) == (
        survivor,
        100,
        "o-1",
        "app",
        "",
    )
    assert (rpc.hold_seconds, rpc.capture) == (900, True)


def test_an_earning_answer_names_a_campaign_only_on_campaign_lines() -> None:
    campaign_id = new_id("cmp_")
    reply = pb.AccrueOrderResponse(
        order_id="o-1",
        member_id="m-1",
        points_earned=697,
        breakdown=[
            pb.EarningLine(source="base", points=398, description="1 point per CNY 1"),
            pb.EarningLine(
                source="campaign",
                points=299,
                description="Double points on shoes",
                campaign_id=campaign_id,
                campaign_version=2,
            ),
        ],
        balance=pb.Balance(available=1897, held=5, pending=7, lifetime_earned=9000),
        replayed=True,
    )

    assert order_from_proto(reply).to_json() == {
        "order_id": "o-1",
        "member_id": "m-1",
        "points_earned": 697,
        "breakdown": [
            {"source": "base", "points": 398, "description": "1 point per CNY 1"},
            {
                "source": "campaign",
                "points": 299,
                "description": "Double points on shoes",
                "campaign_id": campaign_id,
            },
        ],
        "bonus_pending": False,
        "balance": {"available": 1897, "held": 5},
    }


def test_a_redemption_answers_with_timestamps_that_carry_an_offset() -> None:
    redemption_id = new_id("red_")
    reply = pb.HoldPointsResponse(
        redemption=pb.Redemption(
            redemption_id=redemption_id,
            member_id="m-1",
            status="held",
            points=100,
            expires_at=timestamp(WHEN + timedelta(minutes=15)),
            created_at=timestamp(WHEN),
        ),
        balance=pb.Balance(available=200, held=100),
    )

    answer = redemption_from_proto(reply).model_dump(mode="json")

    assert answer == {
        "redemption_id": redemption_id,
        "member_id": "m-1",
        "status": "held",
        "points": 100,
        "order_id": None,
        "store_id": None,
        "expires_at": "2026-11-25T02:30:00+00:00",
        "created_at": "2026-11-25T02:15:00+00:00",
        "balance": {"available": 200, "held": 100},
    }


def test_a_balance_lists_what_expires_and_when() -> None:
    balance = pb.Balance(
        available=1200,
        held=100,
        pending=0,
        lifetime_earned=5300,
        expiring=[pb.ExpiringPoints(points=300, expires_at=timestamp(WHEN))],
    )

    assert points_from_proto(balance).model_dump(mode="json") == {
        "available": 1200,
        "held": 100,
        "pending": 0,
        "lifetime_earned": 5300,
        "expiring": [{"points": 300, "expires_at": "2026-11-25T02:15:00+00:00"}],
    }


def test_a_ledger_page_shows_missing_ids_and_the_last_cursor_as_null() -> None:
    entry_id = new_id("ent_")
    reply = pb.GetLedgerResponse(
        entries=[
            pb.LedgerEntry(
                entry_id=entry_id,
                type="redeem",
                points=-100,
                reason="redeemed at S001",
                created_at=timestamp(WHEN),
                redemption_id="red-1",
            )
        ]
    )

    page = ledger_from_proto(reply, "zh-CN").model_dump(mode="json")

    assert page == {
        "entries": [
            {
                "entry_id": entry_id,
                "type": "redeem",
                "points": -100,
                "order_id": None,
                "reason": "redeemed at S001",
                "campaign_id": None,
                "redemption_id": "red-1",
                "return_id": None,
                "created_at": "2026-11-25T02:15:00+00:00",
                "reason_code": None,
                "reason_params": {},
                "localized": {"reason": "redeemed at S001"},
            }
        ],
        "next_cursor": None,
    }


def test_a_campaign_bonus_reads_in_the_language_asked_for_beside_its_stored_reason() -> None:
    entry = pb.LedgerEntry(
        entry_id=new_id("ent_"),
        type="bonus",
        points=40,
        reason="Double points on shoes (v2)",
        reason_code="campaign_bonus",
        reason_params={
            "version": "2",
            "name": "Double points on shoes",
            "name.zh-CN": "鞋类双倍积分",
        },
    )
    reply = pb.GetLedgerResponse(entries=[entry])

    chinese, english = (ledger_from_proto(reply, locale).entries[0] for locale in ("zh-CN", "en"))

    assert chinese.localized is not None
    assert english.localized is not None
    assert chinese.localized.reason == "鞋类双倍积分 (v2)"
    assert english.localized.reason == chinese.reason == "Double points on shoes (v2)"
    assert chinese.reason_code == "campaign_bonus"


def test_a_ledger_page_passes_the_next_cursor_on() -> None:
    reply = pb.GetLedgerResponse(next_cursor="opaque-42")

    assert ledger_from_proto(reply).next_cursor == "opaque-42"


def test_an_orders_breakdown_lines_read_in_the_readers_language() -> None:
    reply = pb.AccrueOrderResponse(
        order_id="o-1",
        member_id="m-1",
        points_earned=398,
        breakdown=[
            pb.EarningLine(
                source="base",
                points=398,
                description="1 point per CNY 1",
                reason_code="earning_rate",
                reason_params={"rate": "1", "currency": "CNY"},
            ),
            pb.EarningLine(source="tier", points=10, description="Gold tier"),
        ],
    )

    chinese = order_from_proto(reply, "zh-CN").to_json()["breakdown"]
    english = order_from_proto(reply, "en").to_json()["breakdown"]

    assert [line["localized"]["description"] for line in chinese] == [
        "每 CNY 1 元积 1 分",
        "Gold tier",
    ]
    assert [line["localized"]["description"] for line in english] == [
        "1 point per CNY 1",
        "Gold tier",
    ]
    assert chinese[0]["description"] == "1 point per CNY 1"
