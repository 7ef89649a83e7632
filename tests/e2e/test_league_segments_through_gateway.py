"""A campaign for a segment against its holdout in the league table, through the whole
running platform: the analytics service asks the campaign service for the segment's
members, and its comparison equals a hand computation and the campaign's own results
(which the gateway takes from the same read model)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from libs.holdout import held_out
from libs.stack.platform import Stack
from tests.e2e.gateway_support import Headers, an_order, enrol, http
from tests.e2e.test_analytics_through_gateway import earning_tenant, point_valued
from tests.support.polling import settled

__all__ = ["http"]  # the fixture
RULES = {"window_days": 30, "min_orders": 1}  # members who bought in the last 30 days


async def ordered(http: httpx.AsyncClient, pos: Headers, member_id: str, total: str) -> None:
    placed = await http.post("/v1/orders", json=an_order(member_id, "S001", total), headers=pos)
    assert placed.status_code == 201, placed.text


async def a_segment_campaign(http: httpx.AsyncClient, operator: Headers) -> tuple[str, str]:
    """An empty segment of buyers and an active purchase campaign for it (100 bonus points,
    half held out), started a day ago: its segment's id and its id."""
    made = await http.post(
        "/v1/admin/segments", json={"name": "Buyers", "rules": RULES}, headers=operator
    )
    assert made.status_code == 201, made.text
    segment_id: str = made.json()["segment_id"]
    body = {
        "name": "Buyers' bonus",
        "trigger": "purchase",
        "effect": {"type": "bonus_points", "points": 100},
        "audience": {"segment_id": segment_id},
        "holdout_percent": 50,
        "starts_at": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
    }
    created = await http.post("/v1/admin/campaigns", json=body, headers=operator)
    assert created.status_code == 201, created.text
    campaign_id: str = created.json()["campaign_id"]
    active = await http.post(f"/v1/admin/campaigns/{campaign_id}/activate", headers=operator)
    assert active.status_code == 200, active.text
    return segment_id, campaign_id


async def both_sides(
    http: httpx.AsyncClient, pos: Headers, campaign_id: str
) -> tuple[list[str], list[str]]:
    """New members until the holdout hash puts two on each side."""
    kept: list[str] = []
    out: list[str] = []
    for _ in range(30):
        member_id = await enrol(http, pos)
        (out if held_out(campaign_id, member_id, 50) else kept).append(member_id)
        if len(kept) >= 2 and len(out) >= 2:
            break
    assert min(len(kept), len(out)) >= 2
    return kept, out


def two_orders_each(members: int, spent: int) -> dict[str, Any]:
    """A group of the campaign's own results whose members each ordered twice, spending
    `spent` in all."""
    return {
        "members": members,
        "orders": 2 * members,
        "spend": f"{spent * members}.00",
        "orders_per_member": "2.00",
        "spend_per_member": f"{spent}.00",
    }


async def test_a_segment_campaigns_league_row_equals_a_hand_computation_and_its_own_results(
    http: httpx.AsyncClient, platform_stack: Stack
) -> None:
    _, pos, operator = await earning_tenant(http, platform_stack, "ls")
    await point_valued(http, operator, "0.01")
    segment_id, campaign_id = await a_segment_campaign(http, operator)
    kept, out = await both_sides(http, pos, campaign_id)
    members = [*kept, *out]
    # Not in the segment yet: no bonus. Targeted 300.00 each, held out 100.00 each.
    for member_id in members:
        await ordered(http, pos, member_id, "300.00" if member_id in kept else "100.00")

    async def preview() -> int:
        answer = await http.post(
            "/v1/admin/segments/preview", json={"rules": RULES}, headers=operator
        )
        return int(answer.json()["size"])

    await settled(preview, lambda size: size == len(members), within=60)
    refreshed = await http.put(
        f"/v1/admin/segments/{segment_id}",
        json={"name": "Buyers", "rules": RULES},
        headers=operator,
    )
    assert refreshed.json()["size"] == len(members), refreshed.text
    # In the segment now: the targeted members' orders earn the bonus.
    for member_id in members:
        await ordered(http, pos, member_id, "100.00")

    async def row() -> Any:
        answer = await http.get("/v1/admin/analytics/campaigns", headers=operator)
        assert answer.status_code == 200, answer.text
        return next(
            (c for c in answer.json()["campaigns"] if c["campaign_id"] == campaign_id), None
        )

    def complete(found: Any) -> bool:
        if found is None or found["holdout"] is None:
            return False
        # the targeted members' last orders carry their bonus, the held out ones' none
        return bool(found["grants"] == len(kept) and found["holdout"]["uplift"] == "200.00")

    found = await settled(row, complete, within=90)
    holdout = found["holdout"]

    # by hand: targeted 400.00 each, held out 200.00 each: 200.00, no spread
    assert found["holdout_unavailable"] is None
    assert (found["reached"], found["points"], found["cost"]) == (
        len(kept),
        100 * len(kept),
        f"{len(kept)}.00",
    )
    assert (holdout["targeted_members"], holdout["held_out_members"]) == (len(kept), len(out))
    assert (holdout["uplift"], holdout["uplift_low"], holdout["uplift_high"]) == (
        "200.00",
        "200.00",
        "200.00",
    )
    # 200.00 x the targeted; 1.00 of points each per 200.00
    assert holdout["incremental_sales"] == f"{200 * len(kept)}.00"
    assert holdout["cost_per_incremental_sale"] == "0.0050"
    campaign = await http.get(f"/v1/admin/campaigns/{campaign_id}", headers=operator)
    assert campaign.status_code == 200, campaign.text
    results = campaign.json()["results"]
    own = results["holdout"]
    assert results["holdout_unavailable"] is None
    # the campaign's own results, from the same read model: by hand, each targeted member
    # two orders and 400.00, each held-out one two orders and 200.00, over the same days
    assert own["targeted"] == two_orders_each(len(kept), 400)
    assert own["held_out"] == two_orders_each(len(out), 200)
    assert (own["from_day"], own["to_day"]) == (holdout["from"], holdout["to"])
    assert (own["uplift"], own["uplift_low"], own["uplift_high"]) == (
        holdout["uplift"],
        holdout["uplift_low"],
        holdout["uplift_high"],
    )
