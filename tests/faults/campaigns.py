"""Campaigns with a budget and a per-member limit on the fault tenant, and their results
read back after every kill: budgets used exactly, never more, never lost (docs/design.md,
invariant 7), whatever part died."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

BONUS_SKU = "FAULT-BONUS"
# A third of the purchases carry the bonus SKU: enough qualifying orders to use up the
# budget part-way through the kills, so some kills meet the last of it.
BONUS_SHARE = 1 / 3


@dataclass(frozen=True)
class BudgetedCampaign:
    name: str
    points: int
    budget: int
    per_member: int | None = None

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": self.name,
            "trigger": "purchase",
            "conditions": {"skus": [BONUS_SKU]},
            "effect": {"type": "bonus_points", "points": self.points},
            "budget": {"points": self.budget},
        }
        if self.per_member is not None:
            body["limits"] = {"per_member": self.per_member}
        return body


CAMPAIGNS = (
    BudgetedCampaign("Fault budget", points=7, budget=7 * 40),
    BudgetedCampaign("Fault member limit", points=3, budget=3 * 500, per_member=2),
)


@dataclass
class Snapshot:
    """A campaign's results as read after a part came back (or the run settled)."""

    after: str
    results: dict[str, Any]


@dataclass
class Launched:
    campaign: BudgetedCampaign
    campaign_id: str
    snapshots: list[Snapshot] = field(default_factory=list)

    @property
    def final(self) -> dict[str, Any]:
        return self.snapshots[-1].results


async def launch(http: httpx.AsyncClient, operator: dict[str, str]) -> list[Launched]:
    launched = []
    for campaign in CAMPAIGNS:
        created = await http.post("/v1/admin/campaigns", json=campaign.body(), headers=operator)
        assert created.status_code == 201, created.text
        campaign_id = created.json()["campaign_id"]
        path = f"/v1/admin/campaigns/{campaign_id}/activate"
        activated = await http.post(path, headers=operator)
        assert activated.status_code == 200, activated.text
        launched.append(Launched(campaign, campaign_id))
    return launched


async def results_of(
    http: httpx.AsyncClient, operator: dict[str, str], campaign_id: str
) -> dict[str, Any] | None:
    """The campaign's results, or None while the platform cannot say."""
    try:
        answer = await http.get(f"/v1/admin/campaigns/{campaign_id}", headers=operator)
    except httpx.HTTPError:
        return None
    if answer.status_code != 200:
        return None
    results: dict[str, Any] = answer.json()["results"]
    return results


async def snapshot(
    http: httpx.AsyncClient, operator: dict[str, str], launched: list[Launched], after: str
) -> None:
    for each in launched:
        results = await results_of(http, operator, each.campaign_id)
        if results is not None:
            each.snapshots.append(Snapshot(after, results))


def settled(launched: list[Launched]) -> bool:
    """Nothing held for an order in flight any more."""
    return all(each.snapshots and each.final["points_reserved"] == 0 for each in launched)


def bonuses(ledger: list[dict[str, Any]], campaign_id: str) -> list[int]:
    return [e["points"] for e in ledger if e["campaign_id"] == campaign_id]
