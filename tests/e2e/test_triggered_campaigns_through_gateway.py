"""A welcome bonus through the whole platform: an operator's enrollment campaign pays a
member who enrols where it applies, from the enrolment's event, and nobody else."""

from __future__ import annotations

from uuid import uuid4

import httpx

from tests.e2e.points_admin_support import Headers, http, operator, pos
from tests.support.polling import settled

__all__ = ["http", "operator", "pos"]  # fixtures


async def enrol_at(http: httpx.AsyncClient, pos: Headers, store_id: str) -> str:
    body = {
        "store_id": store_id,
        "identities": [{"type": "phone", "value": f"+86136{uuid4().int % 10**8:08d}"}],
    }
    created = await http.post("/v1/members", json=body, headers=pos)
    assert created.status_code == 201, created.text
    member_id: str = created.json()["member_id"]
    return member_id


async def campaign_entries(
    http: httpx.AsyncClient, pos: Headers, member_id: str
) -> list[tuple[int, str]]:
    answer = await http.get(f"/v1/members/{member_id}/points/ledger", headers=pos)
    assert answer.status_code == 200, answer.text
    return [(e["points"], e["campaign_id"]) for e in answer.json()["entries"] if e["campaign_id"]]


async def test_an_enrollment_campaign_pays_its_welcome_bonus_from_the_enrolment_event(
    http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    # A store of this test's own, so that no other test's member meets the campaign.
    store = f"W{uuid4().hex[:10]}"
    body = {
        "name": "Welcome at the pop-up store",
        "trigger": "enrollment",
        "conditions": {"store_ids": [store]},
        "effect": {"type": "bonus_points", "points": 55},
        "limits": {"per_member": 1},
    }
    created = await http.post("/v1/admin/campaigns", json=body, headers=operator)
    assert created.status_code == 201, created.text
    campaign_id = created.json()["campaign_id"]
    activated = await http.post(f"/v1/admin/campaigns/{campaign_id}/activate", headers=operator)
    assert activated.status_code == 200, activated.text
    try:
        elsewhere = await enrol_at(http, pos, "S001")
        welcomed = await enrol_at(http, pos, store)

        await settled(lambda: campaign_entries(http, pos, welcomed), bool, within=30)

        assert await campaign_entries(http, pos, welcomed) == [(55, campaign_id)]
        # Enrolment events are handled in order: the other member's came first.
        assert await campaign_entries(http, pos, elsewhere) == []
    finally:
        await http.post(f"/v1/admin/campaigns/{campaign_id}/pause", headers=operator)


async def test_a_condition_an_enrolment_cannot_answer_is_refused_naming_it(
    http: httpx.AsyncClient, operator: Headers
) -> None:
    body = {
        "name": "Welcome on big baskets",
        "trigger": "enrollment",
        "conditions": {"min_total": "100.00"},
        "effect": {"type": "bonus_points", "points": 5},
    }
    refused = await http.post("/v1/admin/campaigns", json=body, headers=operator)
    assert refused.status_code == 422, refused.text
    assert "min_total" in refused.text
