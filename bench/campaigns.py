"""The demo tenant's active purchase campaigns, made and activated through the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from bench.dataset.population import CATEGORIES, STORES


def campaign_body(i: int, now: datetime) -> dict[str, Any]:
    """A spread of conditions and effects; about a third apply to a typical order."""
    conditions: dict[str, Any] = {"categories": [CATEGORIES[i % len(CATEGORIES)]]}
    if i % 2:
        conditions["channels"] = ["pos", "app"]
    if i % 3 == 0:
        conditions["min_total"] = "100.00"
    if i % 4 == 1:
        conditions["store_ids"] = [STORES[i % len(STORES)]]
    if i % 5 == 2:
        conditions["tiers"] = ["silver", "gold"]
    effect: dict[str, Any] = {"type": "multiplier", "factor": 2}
    if i % 2:
        effect = {"type": "bonus_points", "points": 10 + i}
    return {
        "name": f"Benchmark campaign {i}",
        "trigger": "purchase",
        "starts_at": (now - timedelta(days=1)).isoformat(),
        "ends_at": (now + timedelta(days=30)).isoformat(),
        "conditions": conditions,
        "effect": effect,
        "budget": {"points": 10**12},
        "priority": i,
    }


async def activate_campaigns(http: httpx.AsyncClient, operator_key: str, count: int) -> list[str]:
    headers = {"Authorization": f"Bearer {operator_key}"}
    now = datetime.now(UTC)
    made = []
    for i in range(count):
        created = await http.post(
            "/v1/admin/campaigns", json=campaign_body(i, now), headers=headers
        )
        created.raise_for_status()
        campaign_id = str(created.json()["campaign_id"])
        activated = await http.post(f"/v1/admin/campaigns/{campaign_id}/activate", headers=headers)
        activated.raise_for_status()
        made.append(campaign_id)
    return made
