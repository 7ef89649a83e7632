from __future__ import annotations

import pytest

from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.support import Gateway, new_phone, new_tenant
from loyalty.member.v1 import member_pb2


async def enrol(gateway: Gateway, headers: dict[str, str]) -> str:
    body = {"identities": [{"type": "phone", "value": new_phone()}]}
    response = await gateway.client.post("/v1/members", json=body, headers=headers)
    member_id: str = response.json()["member_id"]
    return member_id


async def test_an_operator_pages_through_members_with_the_cursor(gateway: Gateway) -> None:
    tenant = new_tenant()
    operator = await gateway.key(tenant, "operator")
    ids = [await enrol(gateway, operator) for _ in range(3)]

    first = await gateway.client.get("/v1/admin/members", params={"limit": 2}, headers=operator)
    second = await gateway.client.get(
        "/v1/admin/members",
        params={"limit": 2, "cursor": first.json()["next_cursor"]},
        headers=operator,
    )

    assert first.status_code == 200
    pages = [m["member_id"] for m in first.json()["members"] + second.json()["members"]]
    assert pages == sorted(ids, reverse=True)
    assert "next_cursor" not in second.json()


async def test_filters_and_exact_identity_reach_the_service(
    gateway: Gateway, services: FakeServices
) -> None:
    tenant = new_tenant()
    operator = await gateway.key(tenant, "operator")
    params = {
        "tier": "gold",
        "channel": "pos",
        "enrolled_from": "2026-01-01T00:00:00+08:00",
        "enrolled_to": "2026-02-01T00:00:00+08:00",
        "preferred_store": "S002",
        "status": "active",
        "consented_to": "marketing",
        "identity_type": "phone",
        "identity_value": "13800000001",
    }

    response = await gateway.client.get("/v1/admin/members", params=params, headers=operator)

    assert response.status_code == 200
    sent = services.member.calls[-1]
    assert isinstance(sent, member_pb2.SearchMembersRequest)
    assert (sent.tier, sent.enrolled_channel, sent.preferred_store_id) == ("gold", "pos", "S002")
    assert sent.consented_to == "marketing"
    assert sent.enrolled_from.ToJsonString() == "2025-12-31T16:00:00Z"
    assert (sent.identity.type, sent.identity.value) == ("phone", "13800000001")
    assert (sent.tenant_id, sent.limit) == (tenant, 50)


@pytest.mark.parametrize(
    ("params", "location"),
    [
        ({"limit": 0}, "query.limit"),
        ({"channel": "fax"}, "query.channel"),
        ({"enrolled_from": "2026-01-01T00:00:00"}, "query.enrolled_from"),
        ({"status": "asleep"}, "query.status"),
        ({"consented_to": "spam"}, "query.consented_to"),
        ({"identity_type": "phone"}, "query.identity_value"),
        ({"cursor": "not a cursor"}, "query.cursor"),
    ],
)
async def test_a_bad_search_is_422_naming_the_parameter(
    gateway: Gateway, services: FakeServices, params: dict[str, str | int], location: str
) -> None:
    operator = await gateway.key(new_tenant(), "operator")

    response = await gateway.client.get("/v1/admin/members", params=params, headers=operator)

    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == location
    assert services.member.calls == []


@pytest.mark.parametrize("channel", ["pos", "app", "ecommerce", "miniprogram"])
async def test_only_operators_search(gateway: Gateway, channel: str) -> None:
    headers = await gateway.key(new_tenant(), channel)  # type: ignore[arg-type]
    response = await gateway.client.get("/v1/admin/members", headers=headers)
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["marketer", "analyst"])
async def test_a_marketer_or_analyst_sees_members_without_personal_data(
    gateway: Gateway, role: str
) -> None:
    tenant = new_tenant()
    member_id = await enrol(gateway, await gateway.key(tenant, "operator"))
    issued = await gateway.container.keys.create_key(tenant, "operator", role=role)
    headers = {"Authorization": f"Bearer {issued.secret}"}

    listed = await gateway.client.get("/v1/admin/members", headers=headers)
    by_phone = await gateway.client.get(
        "/v1/admin/members",
        params={"identity_type": "phone", "identity_value": new_phone()},
        headers=headers,
    )

    assert listed.status_code == 200, listed.text
    [member] = listed.json()["members"]
    assert member["member_id"] == member_id
    assert "identities" not in member or member["identities"] == []
    assert set(member.get("profile", {})) <= {"preferred_store_id"}
    assert by_phone.status_code == 403
    assert by_phone.json()["code"] == "forbidden"
