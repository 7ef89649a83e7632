"""/v1/admin/campaigns against the fake campaign service: strict bodies, tenants, shapes."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.support import Gateway, new_tenant

PATH = "/v1/admin/campaigns"


def a_campaign(**fields: Any) -> dict[str, Any]:
    return {
        "name": "Double points on shoes",
        "trigger": "purchase",
        "starts_at": "2036-11-25T00:00:00+08:00",
        "ends_at": "2036-12-01T00:00:00+08:00",
        "conditions": {
            "channels": ["pos"],
            "store_ids": ["S001"],
            "categories": ["shoes"],
            "min_total": "100.00",
            "tiers": ["gold"],
        },
        "effect": {"type": "multiplier", "factor": 2},
        "budget": {"points": 100000},
        "limits": {"per_member": 3},
        "holdout_percent": 0,
        **fields,
    }


async def test_a_drafted_campaign_answers_201_with_its_id_status_version_and_results(
    gateway: Gateway, services: FakeServices
) -> None:
    operator = await gateway.key(new_tenant(), "operator")

    response = await gateway.client.post(PATH, json=a_campaign(), headers=operator)

    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["status"], body["version"]) == ("draft", 1)
    assert body["campaign_id"]
    assert body["conditions"]["min_total"] == "100.00"
    assert body["effect"] == {"type": "multiplier", "factor": "2"}
    assert body["results"]["budget_left"] == 100000
    sent = services.campaign.requests[-1].definition
    assert (sent.conditions.min_total, sent.effect.factor, sent.budget_points) == (
        "100.00",
        "2",
        100000,
    )


async def test_a_campaign_is_read_listed_activated_paused_and_edited_into_a_new_version(
    gateway: Gateway,
) -> None:
    operator = await gateway.key(new_tenant(), "operator")
    created = (await gateway.client.post(PATH, json=a_campaign(), headers=operator)).json()
    one = f"{PATH}/{created['campaign_id']}"

    activated = await gateway.client.post(f"{one}/activate", headers=operator)
    edited = await gateway.client.put(one, json=a_campaign(priority=5), headers=operator)
    paused = await gateway.client.post(f"{one}/pause", headers=operator)
    read = await gateway.client.get(one, headers=operator)
    listed = await gateway.client.get(PATH, params={"status": "paused"}, headers=operator)

    assert activated.json()["status"] == "active"
    assert (edited.json()["version"], edited.json()["priority"]) == (2, 5)
    assert paused.json()["status"] == "paused"
    assert read.json()["campaign_id"] == created["campaign_id"]
    assert [c["campaign_id"] for c in listed.json()["campaigns"]] == [created["campaign_id"]]


async def test_another_tenants_campaign_is_404_for_every_verb(gateway: Gateway) -> None:
    mine = await gateway.key(new_tenant(), "operator")
    theirs = await gateway.key(new_tenant(), "operator")
    created = (await gateway.client.post(PATH, json=a_campaign(), headers=theirs)).json()
    one = f"{PATH}/{created['campaign_id']}"

    answers = [
        await gateway.client.get(one, headers=mine),
        await gateway.client.put(one, json=a_campaign(), headers=mine),
        await gateway.client.post(f"{one}/activate", headers=mine),
        await gateway.client.post(f"{one}/pause", headers=mine),
    ]

    assert [a.status_code for a in answers] == [404] * 4
    assert (await gateway.client.get(PATH, headers=mine)).json() == {"campaigns": []}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"surprise": 1}, "body.surprise"),
        ({"conditions": {"colour": ["red"]}}, "body.conditions.colour"),
        ({"conditions": {"min_total": 100.5}}, "body.conditions.min_total"),
        ({"ends_at": "2036-11-24T00:00:00+08:00"}, "body.ends_at"),
        ({"starts_at": "2026-11-25T00:00:00"}, "body.starts_at"),
        (
            {"effect": {"type": "multiplier", "factor": 2, "points": 5}},
            "body.effect.multiplier.points",
        ),
        ({"effect": {"type": "multiplier", "factor": 1}}, "body.effect.multiplier.factor"),
        ({"effect": {"type": "bonus_points"}}, "body.effect.bonus_points.points"),
        ({"effect": {"type": "coupon"}}, "body.effect.coupon.template_id"),
        ({"effect": {"type": "cashback"}}, "body.effect"),
        ({"trigger": "sunrise"}, "body.trigger"),
        ({"holdout_percent": 101}, "body.holdout_percent"),
        ({"budget": {"points": "100"}}, "body.budget.points"),
        ({"conditions": {"days_of_week": [8]}}, "body.conditions.days_of_week[0]"),
    ],
)
async def test_a_bad_body_is_422_naming_the_field_and_reaches_no_service(
    gateway: Gateway, services: FakeServices, change: dict[str, Any], field: str
) -> None:
    operator = await gateway.key(new_tenant(), "operator")
    before = len(services.campaign.requests)

    response = await gateway.client.post(PATH, json=a_campaign(**change), headers=operator)

    assert response.status_code == 422, response.text
    assert field in [e["location"] for e in response.json()["errors"]]
    assert len(services.campaign.requests) == before


async def test_a_till_key_cannot_manage_campaigns(gateway: Gateway) -> None:
    pos = await gateway.key(new_tenant(), "pos", store_id="S001")
    response = await gateway.client.post(PATH, json=a_campaign(), headers=pos)
    assert response.status_code == 403


async def test_pausing_a_draft_is_409(gateway: Gateway) -> None:
    operator = await gateway.key(new_tenant(), "operator")
    created = (await gateway.client.post(PATH, json=a_campaign(), headers=operator)).json()
    response = await gateway.client.post(f"{PATH}/{created['campaign_id']}/pause", headers=operator)
    assert response.status_code == 409


async def test_a_campaign_past_its_end_is_ended_when_read_and_listed(gateway: Gateway) -> None:
    operator = await gateway.key(new_tenant(), "operator")
    past = a_campaign(starts_at="2020-11-25T00:00:00+08:00", ends_at="2020-12-01T00:00:00+08:00")
    over = (await gateway.client.post(PATH, json=past, headers=operator)).json()
    running = (await gateway.client.post(PATH, json=a_campaign(), headers=operator)).json()
    for campaign in (over, running):
        await gateway.client.post(f"{PATH}/{campaign['campaign_id']}/activate", headers=operator)

    read = await gateway.client.get(f"{PATH}/{over['campaign_id']}", headers=operator)
    ended = await gateway.client.get(PATH, params={"status": "ended"}, headers=operator)
    active = await gateway.client.get(PATH, params={"status": "active"}, headers=operator)
    everything = await gateway.client.get(PATH, headers=operator)

    assert read.json()["status"] == "ended"
    assert [c["campaign_id"] for c in ended.json()["campaigns"]] == [over["campaign_id"]]
    assert [c["campaign_id"] for c in active.json()["campaigns"]] == [running["campaign_id"]]
    assert {c["status"] for c in everything.json()["campaigns"]} == {"ended", "active"}
