"""Operator-entered texts in several languages through the gateway: a campaign named in
English and Chinese answers in the reader's language (`Accept-Language`, q-values
honoured, the tenant's default otherwise), and the bonus it grants reads in the reader's
language in the member's ledger, while an operator's own reason stays as typed."""

# ruff: noqa: RUF001
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.gateway_support import an_order, member_session
from tests.e2e.points_admin_support import Headers, adjusted, enrol, http, key, operator, pos
from tests.support.polling import settled

__all__ = ["http", "operator", "pos"]  # fixtures

ENGLISH, CHINESE = "Double points on shoes", "鞋类双倍积分"
# The demo tenant writes in English and offers Chinese: its default is English.
READERS = [
    ("zh-CN", "zh-CN", CHINESE),
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN", CHINESE),
    ("en-US,en;q=0.9", "en", ENGLISH),
    ("fr", "en", ENGLISH),
    ("fr, en;q=0.3, zh-CN;q=0.7", "zh-CN", CHINESE),
    (None, "en", ENGLISH),
]


def _language(accept: str | None) -> Headers:
    return {} if accept is None else {"Accept-Language": accept}


async def _campaign(http: httpx.AsyncClient, operator: Headers, sku: str) -> dict[str, Any]:
    body = {
        "name": ENGLISH,
        "description": "Twice the points on every pair",
        "translations": {"zh-CN": {"name": CHINESE, "description": "每双鞋双倍积分"}},
        "trigger": "purchase",
        "priority": 1000,  # first in line: no other test's campaign can exclude it
        "conditions": {"skus": [sku]},
        "effect": {"type": "bonus_points", "points": 40},
    }
    created = await http.post("/v1/admin/campaigns", json=body, headers=operator)
    assert created.status_code == 201, created.text
    campaign: dict[str, Any] = created.json()
    return campaign


async def _bought(http: httpx.AsyncClient, pos: Headers, member_id: str, sku: str) -> bool:
    body = {
        "order_id": f"LANG-{uuid4().hex}",
        "member_id": member_id,
        "channel": "pos",
        "store_id": "S001",
        "occurred_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "currency": "CNY",
        "total": "100.00",
        "lines": [{"sku": sku, "category": "shoes", "quantity": 1, "unit_price": "100.00"}],
    }
    placed = await http.post("/v1/orders", json=body, headers=pos)
    assert placed.status_code == 201, placed.text
    return any(line["source"] == "campaign" for line in placed.json()["breakdown"])


async def _ledger(
    http: httpx.AsyncClient, headers: Headers, member_id: str, accept: str | None
) -> httpx.Response:
    answer = await http.get(
        f"/v1/members/{member_id}/points/ledger", headers={**headers, **_language(accept)}
    )
    assert answer.status_code == 200, answer.text
    return answer


@pytest.mark.parametrize(("accept", "language", "name"), READERS)
async def test_a_campaign_answers_in_the_readers_language_and_keeps_its_typed_name(
    http: httpx.AsyncClient, operator: Headers, accept: str | None, language: str, name: str
) -> None:
    campaign = await _campaign(http, operator, f"LANG-{uuid4().hex[:10]}")
    read = await http.get(
        f"/v1/admin/campaigns/{campaign['campaign_id']}",
        headers={**operator, **_language(accept)},
    )
    assert read.status_code == 200, read.text
    assert read.headers["content-language"] == language
    assert "Accept-Language" in read.headers["vary"]
    found = read.json()
    assert found["localized"]["name"] == name
    assert found["name"] == ENGLISH
    assert found["translations"] == {"zh-CN": {"name": CHINESE, "description": "每双鞋双倍积分"}}


async def test_the_campaign_list_names_each_campaign_in_the_readers_language(
    http: httpx.AsyncClient, operator: Headers
) -> None:
    campaign = await _campaign(http, operator, f"LANG-{uuid4().hex[:10]}")
    listed = await http.get(
        "/v1/admin/campaigns?status=draft&limit=200",
        headers={**operator, "Accept-Language": "zh-CN"},
    )
    assert listed.status_code == 200, listed.text
    assert listed.headers["content-language"] == "zh-CN"
    ours = [c for c in listed.json()["campaigns"] if c["campaign_id"] == campaign["campaign_id"]]
    assert [(c["name"], c["localized"]["name"]) for c in ours] == [(ENGLISH, CHINESE)]


async def test_a_campaign_bonus_reads_in_the_readers_language_in_the_ledger(
    http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    sku = f"LANG-{uuid4().hex[:10]}"
    campaign = await _campaign(http, operator, sku)
    activated = await http.post(
        f"/v1/admin/campaigns/{campaign['campaign_id']}/activate", headers=operator
    )
    assert activated.status_code == 200, activated.text
    member_id = await enrol(http, pos)
    # Activation reaches every replica of the campaign service by an event.
    await settled(lambda: _bought(http, pos, member_id, sku), bool, pause=0.5)
    for accept, language, name in READERS:
        answer = await _ledger(http, pos, member_id, accept)
        assert answer.headers["content-language"] == language
        bonus = next(e for e in answer.json()["entries"] if e["type"] == "bonus")
        assert bonus["localized"]["reason"] == f"{name} (v1)", accept
        assert bonus["reason"] == f"{ENGLISH} (v1)"
        assert bonus["reason_code"] == "campaign_bonus"
        assert bonus["reason_params"]["campaign_id"] == campaign["campaign_id"]


async def test_a_member_of_a_tier_named_in_chinese_reads_the_tier_line_with_that_name(
    http: httpx.AsyncClient, platform_stack: Stack, operator: Headers, pos: Headers
) -> None:
    # The demo tenant's silver tier (x1.25) is named 银卡会员 in Chinese.
    member_id = await enrol(http, pos)
    manual = await http.put(
        f"/v1/admin/members/{member_id}/tier",
        json={"tier": "silver", "reason": "store opening", "until": "2030-01-01T00:00:00+08:00"},
        headers=operator,
    )
    assert manual.status_code == 200, manual.text
    bought = await http.post("/v1/orders", json=an_order(member_id, total="100.00"), headers=pos)
    assert bought.status_code == 201, bought.text
    member = await member_session(http, key(platform_stack, "demo", "app"), member_id)

    read = {
        accept: next(
            entry
            for entry in (await _ledger(http, member, member_id, accept)).json()["entries"]
            if entry["reason_code"] == "tier_bonus"
        )
        for accept in ("zh-CN", "en")
    }

    assert read["zh-CN"]["localized"]["reason"] == "银卡会员等级 ×1.25"
    assert read["en"]["localized"]["reason"] == read["en"]["reason"] == "Silver tier ×1.25"
    assert read["zh-CN"]["reason_params"] == {
        "tier": "Silver",
        "multiplier": "1.25",
        "tier.zh-CN": "银卡会员",
    }


async def test_an_operators_reason_stays_as_typed_in_every_language(
    http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    member_id = await enrol(http, pos)
    await adjusted(http, operator, member_id, 25)
    chinese = (await _ledger(http, operator, member_id, "zh-CN")).json()["entries"]
    english = (await _ledger(http, operator, member_id, "en")).json()["entries"]
    assert [e["reason_code"] for e in chinese] == ["adjustment"]
    assert chinese[0]["reason_params"] == {"text": "welcome gift"}
    assert chinese[0]["localized"]["reason"] == "人工调整：welcome gift"
    assert english[0]["localized"]["reason"] == english[0]["reason"]
    assert english[0]["reason"] == "adjusted by an operator: welcome gift"


async def _reasons(
    http: httpx.AsyncClient, headers: Headers, member_id: str, accept: str
) -> dict[str, str]:
    """The rendered reason of the newest entry of each type."""
    entries = (await _ledger(http, headers, member_id, accept)).json()["entries"]
    found: dict[str, str] = {}
    for entry in entries:
        found.setdefault(entry["type"], entry["localized"]["reason"])
    return found


async def test_a_purchase_a_return_and_a_redemption_read_in_the_readers_language(
    http: httpx.AsyncClient, pos: Headers
) -> None:
    member_id = await enrol(http, pos)
    order_id = f"LANG-{uuid4().hex}"
    body = {
        "order_id": order_id,
        "member_id": member_id,
        "channel": "pos",
        "store_id": "S001",
        "occurred_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "currency": "CNY",
        "total": "100.00",
        "lines": [
            {"sku": "SOCK-2", "category": "accessories", "quantity": 1, "unit_price": "100.00"}
        ],
    }
    placed = await http.post("/v1/orders", json=body, headers=pos)
    assert placed.status_code == 201, placed.text
    hold = {"member_id": member_id, "points": 20, "channel": "pos", "store_id": "S001"}
    held = await http.post("/v1/redemptions", json=hold, headers=pos)
    assert held.status_code == 201, held.text
    captured = await http.post(
        f"/v1/redemptions/{held.json()['redemption_id']}/capture", headers=pos
    )
    assert captured.status_code == 200, captured.text
    refund = {"return_id": f"R-{order_id}", "amount": "10.00"}
    returned = await http.post(f"/v1/orders/{order_id}/returns", json=refund, headers=pos)
    assert returned.status_code == 201, returned.text

    english = await _reasons(http, pos, member_id, "en")
    chinese = await _reasons(http, pos, member_id, "zh-CN")

    assert english["earn"] == "1 point per CNY 1 at store S001"
    assert chinese["earn"] == f"订单 {order_id}：每 CNY 1 元积 1 分（门店 S001）"
    assert english["redeem"] == "redeemed at store S001"
    assert chinese["redeem"] == "积分兑换（门店 S001）"
    assert english["reverse"] == "returned CNY 10.00"
    assert chinese["reverse"] == f"订单 {order_id} 退货 CNY 10.00"


@pytest.mark.parametrize(
    "translations",
    [
        {"not a tag": {"name": "x"}},
        {"zh-CN": {"colour": "红"}},
        {"zh-CN": {"name": ""}},
        {"zh-CN": {"name": "长" * 201}},
    ],
)
async def test_a_malformed_translation_is_refused_and_nothing_is_made(
    http: httpx.AsyncClient, operator: Headers, translations: dict[str, Any]
) -> None:
    marker = f"LANG-{uuid4().hex[:10]}"
    body = {
        "name": marker,
        "translations": translations,
        "trigger": "purchase",
        "effect": {"type": "bonus_points", "points": 5},
    }
    refused = await http.post("/v1/admin/campaigns", json=body, headers=operator)
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "validation_error"
    listed = await http.get("/v1/admin/campaigns?status=draft&limit=200", headers=operator)
    assert marker not in {c["name"] for c in listed.json()["campaigns"]}


async def test_tier_names_answer_in_the_readers_language_and_read_back_as_sent(
    http: httpx.AsyncClient, platform_stack: Stack
) -> None:
    # The sandbox tenant's program: the demo tenant's serves the other tests' orders.
    operator = key(platform_stack, "sandbox", "operator")
    read = await http.get("/v1/admin/tier-program", headers=operator)
    assert read.status_code == 200, read.text
    program = read.json()
    program.pop("version")
    chinese = {tier["code"]: f"{tier['code']}等级" for tier in program["tiers"]}
    for tier in program["tiers"]:  # sent back as read, `localized` included
        tier["translations"] = {"zh-CN": {"name": chinese[tier["code"]]}}
    put = await http.put("/v1/admin/tier-program", json=program, headers=operator)
    assert put.status_code == 200, put.text
    answers = {}
    for accept in ("zh-CN", "fr", None):
        got = await http.get("/v1/admin/tier-program", headers={**operator, **_language(accept)})
        answers[accept] = (
            got.headers["content-language"],
            {t["code"]: (t["name"], t["localized"]["name"]) for t in got.json()["tiers"]},
        )
    typed = {tier["code"]: tier["name"] for tier in program["tiers"]}
    assert answers["zh-CN"] == ("zh-CN", {c: (typed[c], chinese[c]) for c in typed})
    assert answers["fr"] == answers[None] == ("en", {c: (typed[c], typed[c]) for c in typed})


async def test_a_coupon_template_answers_in_the_readers_language(
    http: httpx.AsyncClient, operator: Headers
) -> None:
    body = {
        "name": "CNY 20 off",
        "description": "On orders of 200 or more",
        "translations": {"zh-CN": {"name": "立减20元"}},
        "discount": {"kind": "amount_off", "amount": "20.00", "currency": "CNY"},
        "min_total": "200.00",
        "validity": {"days": 30},
    }
    made = await http.post(
        "/v1/admin/coupon-templates", json=body, headers={**operator, "Accept-Language": "zh-CN"}
    )
    assert made.status_code == 201, made.text
    assert made.headers["content-language"] == "zh-CN"
    assert made.json()["localized"] == {
        "name": "立减20元",
        "description": "On orders of 200 or more",
    }
    template_id = made.json()["template_id"]
    read = await http.get(
        f"/v1/admin/coupon-templates/{template_id}", headers={**operator, "Accept-Language": "fr"}
    )
    assert read.headers["content-language"] == "en"
    assert read.json()["localized"]["name"] == read.json()["name"] == "CNY 20 off"
    assert read.json()["translations"] == {"zh-CN": {"name": "立减20元"}}


async def test_a_demo_members_tier_and_a_carts_lines_read_in_the_readers_language(
    http: httpx.AsyncClient, pos: Headers
) -> None:
    member_id = await enrol(http, pos)
    chinese = {**pos, "Accept-Language": "zh-CN"}
    body = {
        "member_id": member_id,
        "store_id": "S001",
        "currency": "CNY",
        "total": "100.00",
        "lines": [{"sku": "BAG-1", "category": "bags", "quantity": 1, "unit_price": "100.00"}],
    }

    member = await http.get(f"/v1/members/{member_id}", headers=chinese)
    progress = await http.get(f"/v1/members/{member_id}/tier-progress", headers=chinese)
    preview = await http.post("/v1/carts/evaluate", json=body, headers=chinese)
    english = await http.post("/v1/carts/evaluate", json=body, headers=pos)

    assert member.status_code == progress.status_code == preview.status_code == 200
    # The seeded demo tier program names its tiers in Chinese too.
    assert (member.json()["tier"]["name"], member.json()["tier"]["localized"]["name"]) == (
        "Member",
        "普通会员",
    )
    assert progress.json()["next_tier"]["localized"]["name"] == "银卡会员"
    assert preview.json()["tier_progress"]["tier"]["localized"]["name"] == "普通会员"
    base = [line for line in preview.json()["points"]["breakdown"] if line["source"] == "base"]
    assert [line["localized"]["description"] for line in base] == ["每 CNY 1 元积 1 分"]
    base = [line for line in english.json()["points"]["breakdown"] if line["source"] == "base"]
    assert [line["localized"]["description"] for line in base] == ["1 point per CNY 1"]
