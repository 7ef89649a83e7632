"""The tenant's points settings, and what a member's points lose in the next days."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.points_support import with_points
from gateway.tests.integration.support import Gateway, new_tenant

PATH = "/v1/admin/points/settings"
SETTINGS: dict[str, Any] = {
    "currency": "CNY",
    "points_per_unit": "1",
    "expiry_policy": "end_of_month",
    "expiry_months": 12,
    "time_zone": "Asia/Shanghai",
    "transfer_limit_per_day": 2000,
    "allow_adjustment_debt": True,
    "return_shortfall": "cap_at_zero",
}


async def test_settings_are_put_and_read_back_with_their_version(
    gateway: Gateway, services: FakeServices
) -> None:
    operator = await gateway.key(new_tenant(), "operator")

    put = await gateway.client.put(PATH, json=SETTINGS, headers=operator)
    read = await gateway.client.get(PATH, headers=operator)

    assert put.status_code == 200, put.text
    assert read.json() == put.json()
    assert {**read.json(), "version": None} == {
        **SETTINGS,
        "rounding": "floor",
        "excluded_categories": [],
        "excluded_skus": [],
        "expiry_days": 0,
        "pending_days": 0,
        "version": None,
    }
    sent = services.points.earning_rules[-1].rule
    assert (sent.expiry_policy, sent.time_zone, sent.transfer_limit_per_day) == (
        "end_of_month",
        "Asia/Shanghai",
        2000,
    )


async def test_a_tenant_without_settings_reads_404(gateway: Gateway) -> None:
    operator = await gateway.key(new_tenant(), "operator")

    answer = await gateway.client.get(PATH, headers=operator)

    assert (answer.status_code, answer.json()["code"]) == (404, "earning_rule_not_found")


@pytest.mark.parametrize(
    ("changes", "location"),
    [
        ({"time_zone": "Mars/Olympus"}, "body.time_zone"),
        ({"expiry_policy": "weekly"}, "body.expiry_policy"),
        ({"expiry_policy": "days_after_earning"}, "body.expiry_days"),
        ({"expiry_policy": "months_after_earning", "expiry_months": 0}, "body.expiry_months"),
        ({"transfer_limit_per_day": -1}, "body.transfer_limit_per_day"),
        ({"points_per_unit": 1}, "body.points_per_unit"),
        ({"return_shortfall": "forgive"}, "body.return_shortfall"),
    ],
)
async def test_bad_settings_are_422_naming_the_field_and_change_nothing(
    gateway: Gateway, services: FakeServices, changes: dict[str, Any], location: str
) -> None:
    operator = await gateway.key(new_tenant(), "operator")

    answer = await gateway.client.put(PATH, json={**SETTINGS, **changes}, headers=operator)

    assert answer.status_code == 422
    assert [e["location"] for e in answer.json()["errors"]] == [location]
    assert services.points.earning_rules == []


async def test_only_admins_change_settings_and_tills_may_not_read_them(gateway: Gateway) -> None:
    tenant = new_tenant()
    pos = await gateway.key(tenant, "pos", store_id="S001")

    put = await gateway.client.put(PATH, json=SETTINGS, headers=pos)
    read = await gateway.client.get(PATH, headers=pos)

    assert (put.status_code, read.status_code) == (403, 403)


async def test_a_member_asks_what_expires_in_the_next_days(
    gateway: Gateway, services: FakeServices
) -> None:
    app = await gateway.legacy_key(new_tenant(), "app")
    member_id = await with_points(gateway, app)
    path = f"/v1/members/{member_id}/points/expiring"

    default = await gateway.client.get(path, headers=app)
    week = await gateway.client.get(path, params={"days": 7}, headers=app)
    too_far = await gateway.client.get(path, params={"days": 366}, headers=app)
    stranger = await gateway.client.get(path, headers=await gateway.legacy_key(new_tenant(), "app"))

    assert default.status_code == 200, default.text
    assert default.json() == {
        "days": 30,
        "points": 398,
        "expiring": [{"points": 398, "expires_at": "2026-12-31T15:59:59+00:00"}],
    }
    assert [r.days for r in services.points.expiring_asked] == [30, 7]
    assert week.json()["days"] == 7
    assert (too_far.status_code, too_far.json()["errors"][0]["location"]) == (422, "query.days")
    assert (stranger.status_code, stranger.json()["code"]) == (404, "member_not_found")
