from __future__ import annotations

from typing import Any

import pytest

from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.support import Gateway, new_phone, new_tenant
from loyalty.member.v1 import member_pb2

PROGRAM: dict[str, Any] = {
    "tiers": [
        {"code": "member", "name": "Member", "threshold": 0, "multiplier": "1"},
        {"code": "gold", "name": "Gold", "threshold": 5000, "multiplier": "1.5"},
    ],
    "qualifying_metric": "spend",
    "window_days": 365,
    "downgrade_policy": "one_tier",
    "downgrade_grace_days": 30,
}


async def test_an_operator_puts_and_reads_the_tier_program(
    gateway: Gateway, services: FakeServices
) -> None:
    operator = await gateway.key(new_tenant(), "operator")

    missing = await gateway.client.get("/v1/admin/tier-program", headers=operator)
    put = await gateway.client.put("/v1/admin/tier-program", json=PROGRAM, headers=operator)
    read = await gateway.client.get("/v1/admin/tier-program", headers=operator)

    assert (missing.status_code, missing.json()["code"]) == (404, "tier_program_not_found")
    assert put.status_code == 200
    # Each tier also answers its translations and its name in the reader's language.
    tiers = [
        {**tier, "translations": {}, "localized": {"name": tier["name"]}}
        for tier in PROGRAM["tiers"]
    ]
    assert read.json() == {**PROGRAM, "tiers": tiers, "version": 0}
    assert read.headers["content-language"] == "en"
    sent = services.member.tier_programs[-1].program
    assert (sent.downgrade_policy, sent.tiers[1].multiplier) == ("one_tier", "1.5")


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"downgrade_policy": "sometimes"}, "body.downgrade_policy"),
        ({"qualifying_metric": "smiles"}, "body.qualifying_metric"),
        ({"window_days": 0}, "body.window_days"),
        ({"tiers": [{"code": "Gold!", "name": "G", "threshold": 0}]}, "body.tiers[0].code"),
        (
            {"tiers": [{"code": "g", "name": "G", "threshold": 0, "multiplier": 1.5}]},
            "body.tiers[0].multiplier",
        ),
    ],
)
async def test_a_malformed_program_is_422_naming_the_field(
    gateway: Gateway, services: FakeServices, change: dict[str, Any], location: str
) -> None:
    operator = await gateway.key(new_tenant(), "operator")

    response = await gateway.client.put(
        "/v1/admin/tier-program", json={**PROGRAM, **change}, headers=operator
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == location
    assert services.member.tier_programs == []


async def test_a_touchpoint_key_may_not_touch_the_tier_program(gateway: Gateway) -> None:
    pos = await gateway.key(new_tenant(), "pos", store_id="S001")
    put = await gateway.client.put("/v1/admin/tier-program", json=PROGRAM, headers=pos)
    read = await gateway.client.get("/v1/admin/tier-program", headers=pos)
    assert (put.status_code, read.status_code) == (403, 403)


async def test_an_operator_sets_a_manual_tier_with_a_reason_and_end(
    gateway: Gateway, services: FakeServices
) -> None:
    tenant = new_tenant()
    operator = await gateway.key(tenant, "operator")
    enrolled = await gateway.client.post(
        "/v1/members",
        json={"identities": [{"type": "phone", "value": new_phone()}]},
        headers=operator,
    )
    member_id = enrolled.json()["member_id"]
    body = {"tier": "gold", "reason": "service recovery", "until": "2027-01-01T00:00:00+08:00"}

    response = await gateway.client.put(
        f"/v1/admin/members/{member_id}/tier", json=body, headers=operator
    )
    naive = await gateway.client.put(
        f"/v1/admin/members/{member_id}/tier",
        json={**body, "until": "2027-01-01T00:00:00"},
        headers=operator,
    )

    assert response.status_code == 200, response.text
    tier = response.json()["tier"]
    assert tier["code"] == "gold"
    assert tier["manual"] == {
        "reason": "service recovery",
        "until": "2026-12-31T16:00:00+00:00",
        "reverts_to": "member",
    }
    sent = services.member.calls[-1]
    assert isinstance(sent, member_pb2.SetManualTierRequest)
    assert (sent.actor.kind, sent.reason) == ("operator", "service recovery")
    assert (naive.status_code, naive.json()["errors"][0]["location"]) == (422, "body.until")
