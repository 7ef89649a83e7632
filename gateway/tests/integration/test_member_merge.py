"""POST /v1/members/merge, GET /v1/members/{id}/tier-progress and the till's member code
in orders, against the fake member and points services."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.points_support import an_order
from gateway.tests.integration.support import Gateway, new_phone, new_tenant
from loyalty.member.v1 import member_pb2


async def enrol(gateway: Gateway, headers: dict[str, str], phone: str | None = None) -> str:
    body = {"identities": [{"type": "phone", "value": phone or new_phone()}]}
    created = await gateway.client.post("/v1/members", json=body, headers=headers)
    assert created.status_code == 201, created.text
    member_id: str = created.json()["member_id"]
    return member_id


def merges(services: FakeServices) -> list[Any]:
    return [c for c in services.member.calls if isinstance(c, member_pb2.MergeMembersRequest)]


async def test_an_operator_merges_two_members_and_the_merged_one_answers_merged(
    gateway: Gateway, services: FakeServices
) -> None:
    tenant = new_tenant()
    operator = await gateway.key(tenant, "operator")
    old_phone = new_phone()
    survivor_id, merged_id = (
        await enrol(gateway, operator),
        await enrol(gateway, operator, old_phone),
    )
    body = {"survivor_id": survivor_id, "merged_id": merged_id}

    merged = await gateway.client.post("/v1/members/merge", json=body, headers=operator)
    again = await gateway.client.post("/v1/members/merge", json=body, headers=operator)
    gone = await gateway.client.get(f"/v1/members/{merged_id}", headers=operator)

    assert merged.status_code == 200, merged.text
    assert merged.json()["member_id"] == survivor_id
    assert {"type": "phone", "value": old_phone} in merged.json()["identities"]
    assert again.json() == merged.json()
    assert (gone.json()["status"], gone.json()["merged_into"]) == ("merged", survivor_id)
    sent = merges(services)[0]
    assert (sent.tenant_id, sent.actor.kind, sent.actor.channel) == (tenant, "operator", "operator")


@pytest.mark.parametrize("channel", ["pos", "app", "ecommerce"])
async def test_a_touchpoint_may_not_merge_members(gateway: Gateway, channel: str) -> None:
    headers = await gateway.key(new_tenant(), channel, store_id="S001")  # type: ignore[arg-type]

    response = await gateway.client.post(
        "/v1/members/merge", json={"survivor_id": "m1", "merged_id": "m2"}, headers=headers
    )

    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


@pytest.mark.parametrize(
    "body",
    [
        {"survivor_id": "m1"},
        {"survivor_id": "m1", "merged_id": ""},
        {"survivor_id": "m1", "merged_id": 7},
        {"survivor_id": "m1", "merged_id": "m2", "points": 5},
    ],
)
async def test_a_malformed_merge_is_422_and_reaches_no_service(
    gateway: Gateway, services: FakeServices, body: dict[str, Any]
) -> None:
    operator = await gateway.key(new_tenant(), "operator")

    response = await gateway.client.post("/v1/members/merge", json=body, headers=operator)

    assert (response.status_code, response.json()["code"]) == (422, "validation_error")
    assert merges(services) == []


async def test_merging_a_member_into_itself_is_422_merge_same_member(gateway: Gateway) -> None:
    operator = await gateway.key(new_tenant(), "operator")
    member_id = await enrol(gateway, operator)

    response = await gateway.client.post(
        "/v1/members/merge",
        json={"survivor_id": member_id, "merged_id": member_id},
        headers=operator,
    )

    assert (response.status_code, response.json()["code"]) == (422, "merge_same_member")


async def test_a_member_of_another_tenant_cannot_be_merged_and_is_not_revealed(
    gateway: Gateway,
) -> None:
    operator = await gateway.key(new_tenant(), "operator")
    stranger = await gateway.key(new_tenant(), "operator")
    mine = await enrol(gateway, operator)
    theirs = await enrol(gateway, stranger)

    response = await gateway.client.post(
        "/v1/members/merge", json={"survivor_id": mine, "merged_id": theirs}, headers=operator
    )

    assert (response.status_code, response.json()["code"]) == (404, "member_not_found")


async def test_the_app_reads_the_next_tier_and_what_it_still_takes(gateway: Gateway) -> None:
    app = await gateway.legacy_key(new_tenant(), "app")
    member_id = await enrol(gateway, app)

    response = await gateway.client.get(f"/v1/members/{member_id}/tier-progress", headers=app)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["tier"]["code"] == "member"
    assert body["next_tier"] == {
        "code": "silver",
        "name": "Silver",
        "threshold": 1000,
        "localized": {"name": "Silver"},
    }
    assert (body["qualifying_amount"], body["still_needed"]) == (400, 600)
    assert body["tier_held_until"] is None


async def test_a_till_earns_for_the_member_named_by_the_code_the_app_shows(
    gateway: Gateway, services: FakeServices
) -> None:
    tenant = new_tenant()
    app, pos = (
        await gateway.legacy_key(tenant, "app"),
        await gateway.key(tenant, "pos", store_id="S001"),
    )
    member_id = await enrol(gateway, app)
    code = (await gateway.client.get(f"/v1/members/{member_id}/code", headers=app)).json()["code"]

    by_code = await gateway.client.post(
        "/v1/orders", json=an_order(identity={"type": "code", "value": code}), headers=pos
    )
    forged = await gateway.client.post(
        "/v1/orders", json=an_order(identity={"type": "code", "value": "forged"}), headers=pos
    )
    unknown = await gateway.client.post(
        "/v1/orders", json=an_order(identity={"type": "qr", "value": code}), headers=pos
    )

    assert by_code.status_code == 201, by_code.text
    assert by_code.json()["member_id"] == member_id
    assert services.points.accruals[-1].member.member_id == member_id
    assert (forged.status_code, forged.json()["code"]) == (404, "member_not_found")
    assert (unknown.status_code, unknown.json()["code"]) == (422, "validation_error")
