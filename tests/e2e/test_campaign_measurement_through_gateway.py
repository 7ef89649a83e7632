"""Segments, backtests and holdout results through the whole running platform: orders go
in at the till, their points.earned events build the campaign service's history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from uuid import uuid4
from zoneinfo import ZoneInfo

import httpx
import pytest

from services.campaign.campaigns.domain.engine import held_out
from services.campaign.campaigns.domain.rules import Campaign, Conditions, Effect, EffectType
from tests.e2e.points_admin_support import Headers, http, operator, pos
from tests.support.polling import settled

__all__ = ["http", "operator", "pos"]  # fixtures

T = TypeVar("T")
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def enrol(http: httpx.AsyncClient, pos: Headers) -> str:
    phone = f"+86137{uuid4().int % 10**8:08d}"
    body = {
        "store_id": "S002",
        "identities": [{"type": "phone", "value": phone}],
        "consents": {"marketing": True},
    }
    created = await http.post("/v1/members", json=body, headers=pos)
    assert created.status_code == 201, created.text
    member_id: str = created.json()["member_id"]
    return member_id


async def order(
    http: httpx.AsyncClient, pos: Headers, member_id: str, at: datetime, *, sku: str, price: str
) -> None:
    body = {
        "order_id": f"BT-{uuid4().hex}",
        "member_id": member_id,
        "channel": "pos",
        "store_id": "S002",
        "occurred_at": at.isoformat(),
        "currency": "CNY",
        "total": price,
        "lines": [{"sku": sku, "category": "e2e", "quantity": 1, "unit_price": price}],
    }
    answer = await http.post("/v1/orders", json=body, headers=pos)
    assert answer.status_code == 201, answer.text


async def draft(http: httpx.AsyncClient, operator: Headers, **fields: Any) -> dict[str, Any]:
    body = {
        "name": "Measured campaign",
        "trigger": "purchase",
        "effect": {"type": "multiplier", "factor": "2"},
        **fields,
    }
    created = await http.post("/v1/admin/campaigns", json=body, headers=operator)
    assert created.status_code == 201, created.text
    campaign: dict[str, Any] = created.json()
    return campaign


async def test_a_backtest_replays_the_orders_with_the_budget_and_the_member_limit(
    http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    sku = f"SKU-{uuid4().hex[:10]}"
    a, b, c = [await enrol(http, pos) for _ in range(3)]
    now = datetime.now(UTC)
    plan = [(a, 5, "100.00"), (b, 4, "80.00"), (a, 3, "50.00"), (a, 2, "70.00"), (c, 1, "60.00")]
    for member_id, days_ago, price in plan:
        await order(http, pos, member_id, now - timedelta(days=days_ago), sku=sku, price=price)
    campaign = await draft(
        http,
        operator,
        conditions={"skus": [sku]},
        budget={"points": 250},
        limits={"per_member": 2},
    )
    path = f"/v1/admin/campaigns/{campaign['campaign_id']}/backtest"

    async def backtest() -> dict[str, Any]:
        answer = await http.post(path, json={"days": 30}, headers=operator)
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    report = await settled(backtest, lambda r: r["grants"] >= 4)
    # A 100, B 80, A 50 (A's limit of 2 is then reached), C takes the last 20 of 250.
    ran_out = (now - timedelta(days=1)).astimezone(SHANGHAI).date().isoformat()
    assert {k: report[k] for k in ("grants", "points_granted", "members_reached")} == {
        "grants": 4,
        "points_granted": 250,
        "members_reached": 3,
    }
    assert (report["budget_used"], report["budget_ran_out_on"]) == (250, ran_out)
    assert report["days"] == 30
    daily = report["daily"]
    assert daily[-1]["date"] == now.astimezone(SHANGHAI).date().isoformat()
    assert [d["date"] for d in daily] == sorted(d["date"] for d in daily)
    assert sum(d["points_granted"] for d in daily) == 250
    assert sum(d["grants"] for d in daily) == 4
    out_on = next(d for d in daily if d["date"] == ran_out)
    before = daily[daily.index(out_on) - 1]
    assert (out_on["points_granted"], out_on["budget_left"]) == (20, 0)
    assert before["budget_left"] == 20


async def test_a_segment_holds_what_its_preview_counted_and_feeds_holdout_results(
    http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    members = [await enrol(http, pos) for _ in range(6)]
    now = datetime.now(UTC)
    # Spend no other test reaches: these members alone are in the segment.
    for index, member_id in enumerate(members):
        at = now - timedelta(hours=2)
        await order(http, pos, member_id, at, sku="BIG", price=f"{900000 + index}.00")
    rules = {"marketing_consent": True, "window_days": 1, "min_spend": "900000.00"}

    async def preview() -> int:
        answer = await http.post(
            "/v1/admin/segments/preview", json={"rules": rules}, headers=operator
        )
        assert answer.status_code == 200, answer.text
        size: int = answer.json()["size"]
        return size

    assert await settled(preview, lambda size: size >= 6) == 6
    created = await http.post(
        "/v1/admin/segments", json={"name": "Big spenders", "rules": rules}, headers=operator
    )
    assert created.status_code == 201, created.text
    segment = created.json()
    assert segment["size"] == 6
    fetched = await http.get(f"/v1/admin/segments/{segment['segment_id']}", headers=operator)
    assert fetched.json()["rules"]["min_spend"] == "900000.00"

    campaign = await draft(
        http,
        operator,
        starts_at=(now - timedelta(days=1)).isoformat(),
        audience={"segment_id": segment["segment_id"]},
        holdout_percent=50,
    )
    assert campaign["audience"] == {"segment_id": segment["segment_id"]}
    results = (
        await http.get(f"/v1/admin/campaigns/{campaign['campaign_id']}", headers=operator)
    ).json()["results"]
    rules_of = Campaign(
        campaign["campaign_id"],
        "",
        1,
        None,
        None,
        Conditions(),
        Effect(EffectType.BONUS_POINTS),
        holdout_percent=50,
    )
    out = [m for m in members if held_out(rules_of, m)]
    holdout = results["holdout"]
    assert (holdout["held_out"]["members"], holdout["targeted"]["members"]) == (
        len(out),
        6 - len(out),
    )
    spent_out = sum(Decimal(900000 + members.index(m)) for m in out)
    assert Decimal(holdout["held_out"]["spend"]) == spent_out
    assert holdout["held_out"]["orders"] + holdout["targeted"]["orders"] == 6
    daily = await http.get(
        f"/v1/admin/campaigns/{campaign['campaign_id']}/results/daily", headers=operator
    )
    assert daily.status_code == 200, daily.text
    days = daily.json()["days"]
    assert days[-1]["date"] == now.astimezone(SHANGHAI).date().isoformat()
    assert sum(d["held_out"]["orders"] for d in days) == len(out)
    assert sum(d["targeted"]["orders"] for d in days) == 6 - len(out)
    assert sum(Decimal(d["held_out"]["spend"]) for d in days) == spent_out
    assert sum(d["points_granted"] for d in days) == 0  # a draft grants nothing
    # The last day's uplift, counting from the start, is the whole window's, and the
    # days' groups add up to the results' (both from the analytics read model).
    interval = ("uplift", "uplift_low", "uplift_high")
    assert [days[-1][k] for k in interval] == [holdout[k] for k in interval]
    for group in ("targeted", "held_out"):
        assert sum(Decimal(d[group]["spend"]) for d in days) == Decimal(holdout[group]["spend"])
        assert sum(d[group]["orders"] for d in days) == holdout[group]["orders"]
    assert daily.json()["holdout_unavailable"] is None


async def test_segment_and_backtest_bodies_are_checked_before_anything_happens(
    http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    no_window = await http.post(
        "/v1/admin/segments", json={"name": "x", "rules": {"min_orders": 2}}, headers=operator
    )
    unknown = await http.post(
        "/v1/admin/segments/preview", json={"rules": {"colour": "red"}}, headers=operator
    )
    missing = await http.post(
        "/v1/admin/campaigns/cmp_missing/backtest", json={"days": 7}, headers=operator
    )
    too_long = await http.post(
        "/v1/admin/campaigns/cmp_missing/backtest", json={"days": 5000}, headers=operator
    )
    till = await http.post("/v1/admin/segments/preview", json={"rules": {}}, headers=pos)
    assert (no_window.status_code, no_window.json()["code"]) == (422, "validation_error")
    assert unknown.status_code == 422
    assert (missing.status_code, too_long.status_code, till.status_code) == (404, 422, 403)


async def test_a_dry_run_shows_what_a_draft_would_add_to_a_cart(
    http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    member_id = await enrol(http, pos)
    campaign = await draft(
        http, operator, conditions={"categories": ["shoes"], "channels": ["pos"]}
    )
    path = f"/v1/admin/campaigns/{campaign['campaign_id']}/dry-run"
    cart = {
        "member_id": member_id,
        "channel": "pos",
        "store_id": "S001",
        "total": "398.00",
        "lines": [
            {"sku": "SHOE-1", "category": "shoes", "quantity": 1, "unit_price": "299.00"},
            {"sku": "SOCK-2", "category": "accessories", "quantity": 1, "unit_price": "99.00"},
        ],
    }
    applies = await http.post(path, json=cart, headers=operator)
    online = await http.post(path, json={**cart, "channel": "ecommerce"}, headers=operator)
    assert applies.status_code == 200, applies.text
    assert (applies.json()["applies"], applies.json()["points"]) == (True, 299)
    assert (online.json()["applies"], online.json()["reason"]) == (False, "channel")


async def test_an_inactivity_campaign_names_how_many_days_without_a_purchase(
    http: httpx.AsyncClient, operator: Headers
) -> None:
    body = {
        "name": "We miss you",
        "trigger": "inactivity",
        "conditions": {"inactive_days": 45},
        "effect": {"type": "bonus_points", "points": 100},
    }
    created = await http.post("/v1/admin/campaigns", json=body, headers=operator)
    without = await http.post(
        "/v1/admin/campaigns", json={**body, "conditions": {}}, headers=operator
    )
    on_purchase = await http.post(
        "/v1/admin/campaigns", json={**body, "trigger": "purchase"}, headers=operator
    )
    assert created.status_code == 201, created.text
    assert created.json()["conditions"]["inactive_days"] == 45
    assert (without.status_code, without.json()["code"]) == (422, "validation_error")
    assert "inactive_days" in without.json()["detail"]
    assert on_purchase.status_code == 422


@pytest.mark.parametrize(
    "limits",
    [{}, {"limits": {"per_member": 5}}],
    ids=["from a budget lease", "from a hold with a per-member slot"],
)
async def test_the_daily_results_count_each_grant_on_its_day_and_add_up_to_the_totals(
    http: httpx.AsyncClient, operator: Headers, pos: Headers, limits: dict[str, Any]
) -> None:
    sku = f"SKU-{uuid4().hex[:10]}"
    a, b = [await enrol(http, pos) for _ in range(2)]
    now = datetime.now(UTC)
    campaign = await draft(
        http,
        operator,
        starts_at=(now - timedelta(days=3)).isoformat(),
        conditions={"skus": [sku]},
        effect={"type": "bonus_points", "points": 30},
        budget={"points": 1000},
        **limits,
    )
    campaign_id = campaign["campaign_id"]
    activated = await http.post(f"/v1/admin/campaigns/{campaign_id}/activate", headers=operator)
    assert activated.status_code == 200, activated.text
    yesterday = now - timedelta(days=1)
    for member_id, at in ((a, yesterday), (a, now), (b, now)):
        await order(http, pos, member_id, at, sku=sku, price="100.00")

    async def days() -> list[dict[str, Any]]:
        answer = await http.get(
            f"/v1/admin/campaigns/{campaign_id}/results/daily", headers=operator
        )
        assert answer.status_code == 200, answer.text
        found: list[dict[str, Any]] = answer.json()["days"]
        return found

    # the groups come from the analytics read model: null until it has caught up
    found = await settled(
        days,
        lambda ds: sum(d["grants"] for d in ds) >= 3 and all(d["targeted"] for d in ds),
    )
    by_date = {d["date"]: d for d in found}
    today = by_date[now.astimezone(SHANGHAI).date().isoformat()]
    before = by_date[yesterday.astimezone(SHANGHAI).date().isoformat()]
    assert len(found) >= 4  # from three days ago to today, quiet days included
    assert (before["points_granted"], before["grants"], before["members_reached"]) == (30, 1, 1)
    assert (today["points_granted"], today["grants"], today["members_reached"]) == (60, 2, 1)
    assert (before["budget_left"], today["budget_left"]) == (970, 910)
    assert today["held_out"] is None
    assert today["targeted"]["orders"] >= 2
    totals = (await http.get(f"/v1/admin/campaigns/{campaign_id}", headers=operator)).json()[
        "results"
    ]
    assert sum(d["points_granted"] for d in found) == totals["points_granted"] == 90
    assert sum(d["grants"] for d in found) == totals["grants"] == 3
    assert sum(d["members_reached"] for d in found) == totals["members_reached"] == 2
