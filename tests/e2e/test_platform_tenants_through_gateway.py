"""Hosted tenants through the whole platform: a platform administrator (made with the admin
CLI) creates a tenant and its first administrator, who runs it; tenants' credentials never
reach the platform API, nor the platform's the tenants'; a suspension refuses the tenant's
every credential on the very next request, and resuming lets them in again."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.gateway_support import (
    Headers,
    admin_cli,
    bearer,
    http,
    key,
    member_session,
    new_operator,
    new_phone,
    signed_in,
)

__all__ = ["http"]
TENANTS = "/v1/platform/tenants"


@pytest.fixture
def platform_admin(platform_stack: Stack) -> Headers:
    made = admin_cli(platform_stack, "platform", "create-admin", "--name", "e2e on-call")
    assert made["secret"].startswith("lp_platform_")
    return bearer(made["secret"])


def a_tenant(**changes: Any) -> dict[str, Any]:
    return {
        "tenant_id": f"t-{uuid4().hex[:12]}",
        "name": "Acme Outfitters",
        "stores": [
            {"store_id": "SH01", "time_zone": "Asia/Shanghai"},
            {"store_id": "HK01", "time_zone": "Asia/Hong_Kong"},
        ],
        "default_region": "CN",
        "time_zone": "Asia/Shanghai",
        "currency": "CNY",
        "languages": ["zh-CN", "en"],
        "branding": {"display_name": "Acme", "colour": "#0B6E4F"},
        "point_value": {"amount": "0.01", "currency": "CNY"},
        "rate_limits": {"per_key": {"per_second": 80, "burst": 160}},
        "web_origins": ["https://shop.acme.example"],
        **changes,
    }


async def created(http: httpx.AsyncClient, admin: Headers, **changes: Any) -> dict[str, Any]:
    made = await http.post(TENANTS, json=a_tenant(**changes), headers=admin)
    assert made.status_code == 201, made.text
    answer: dict[str, Any] = made.json()
    return answer


async def first_admin(http: httpx.AsyncClient, admin: Headers, tenant_id: str) -> Headers:
    email = f"it-{uuid4().hex[:8]}@acme.example"
    made = await http.post(f"{TENANTS}/{tenant_id}/operators", json={"email": email}, headers=admin)
    assert made.status_code == 201, made.text
    password = made.json()["password"]
    return await signed_in(http, {"tenant_id": tenant_id, "email": email, "password": password})


async def a_pos_key(http: httpx.AsyncClient, operator: Headers, store_id: str) -> Headers:
    made = await http.post(
        "/v1/admin/keys", json={"channel": "pos", "store_id": store_id}, headers=operator
    )
    assert made.status_code == 201, made.text
    return bearer(made.json()["secret"])


def an_order_at(member_id: str, store_id: str, total: str) -> dict[str, Any]:
    return {
        "order_id": f"POS-{store_id}-{uuid4().hex}",
        "member_id": member_id,
        "channel": "pos",
        "store_id": store_id,
        "occurred_at": datetime.now(ZoneInfo("Asia/Hong_Kong")).isoformat(timespec="seconds"),
        "currency": "CNY",
        "total": total,
        "lines": [{"sku": "SHOE-1", "category": "shoes", "quantity": 1, "unit_price": total}],
    }


async def test_a_platform_administrator_creates_a_tenant_whose_first_admin_runs_it_end_to_end(
    http: httpx.AsyncClient, platform_admin: Headers
) -> None:
    tenant = await created(http, platform_admin)
    tenant_id = tenant["tenant_id"]
    operator = await first_admin(http, platform_admin, tenant_id)
    pos = await a_pos_key(http, operator, "HK01")
    body = {"store_id": "HK01", "identities": [{"type": "phone", "value": new_phone()}]}
    enrolled = await http.post("/v1/members", json=body, headers=pos)
    member_id = enrolled.json()["member_id"]
    bought = await http.post(
        "/v1/orders", json=an_order_at(member_id, "HK01", "120.00"), headers=pos
    )
    read = await http.get(f"{TENANTS}/{tenant_id}", headers=platform_admin)
    listed = await http.get(TENANTS, params={"limit": 200}, headers=platform_admin)
    whoami = await http.get("/v1/admin/whoami", headers=operator)

    assert tenant["status"] == "active"
    assert tenant["stores"] == [
        {"store_id": "SH01", "time_zone": "Asia/Shanghai"},
        {"store_id": "HK01", "time_zone": "Asia/Hong_Kong"},
    ]
    assert tenant["languages"] == ["zh-CN", "en"]
    assert tenant["point_value"] == {"amount": "0.01", "currency": "CNY"}
    assert tenant["rate_limits"]["per_key"] == {"per_second": 80.0, "burst": 160}
    assert tenant["web_origins"] == ["https://shop.acme.example"]
    assert tenant["branding"]["colour"] == "#0B6E4F"
    assert enrolled.status_code == 201, enrolled.text
    assert bought.status_code == 201, bought.text
    assert bought.json()["points_earned"] == 120  # the starter programme: a point per CNY 1
    assert read.status_code == 200, read.text
    assert read.json() == tenant
    assert (
        tenant_id in [t["tenant_id"] for t in listed.json()["tenants"]]
        or listed.json()["next_cursor"]
    )
    assert whoami.status_code == 200, whoami.text
    assert whoami.json()["tenant_id"] == tenant_id


async def test_a_change_replaces_only_the_settings_given_and_is_in_the_tenants_audit_trail(
    http: httpx.AsyncClient, platform_admin: Headers
) -> None:
    tenant_id = (await created(http, platform_admin))["tenant_id"]
    changes = {
        "stores": [{"store_id": "SH01"}, {"store_id": "SH02", "time_zone": "Asia/Urumqi"}],
        "languages": ["en", "zh-CN"],
        "rate_limits": {"per_tenant": {"per_second": 500, "burst": 1000}},
    }
    changed = await http.patch(f"{TENANTS}/{tenant_id}", json=changes, headers=platform_admin)
    operator = await first_admin(http, platform_admin, tenant_id)
    trail = await http.get(
        "/v1/admin/audit", params={"action": "PATCH /v1/platform/tenants"}, headers=operator
    )

    assert changed.status_code == 200, changed.text
    answer = changed.json()
    assert answer["stores"] == [
        {"store_id": "SH01", "time_zone": "Asia/Shanghai"},
        {"store_id": "SH02", "time_zone": "Asia/Urumqi"},
    ]
    assert answer["languages"] == ["en", "zh-CN"]
    assert answer["rate_limits"]["per_key"] == {"per_second": 80.0, "burst": 160}
    assert answer["rate_limits"]["per_tenant"] == {"per_second": 500.0, "burst": 1000}
    assert answer["name"] == "Acme Outfitters"
    assert trail.status_code == 200, trail.text
    [entry] = trail.json()["entries"]
    assert entry["actor"]["kind"] == "platform"
    assert entry["actor"]["role"] == "platform"
    assert {"kind": "tenant", "id": tenant_id} in entry["resources"]
    changed_fields = {change["field"] for change in entry["changes"]}
    assert {"stores", "languages", "store_time_zones.SH02"} <= changed_fields


async def test_a_tenants_keys_and_operators_are_refused_by_the_platform_api(
    http: httpx.AsyncClient, platform_stack: Stack
) -> None:
    admin_key = key(platform_stack, "demo", "operator")
    pos = key(platform_stack, "demo", "pos")
    operator = await signed_in(http, new_operator(platform_stack, "admin"))

    answers = [
        await http.get(TENANTS, headers=admin_key),
        await http.post(TENANTS, json=a_tenant(), headers=operator),
        await http.post(f"{TENANTS}/demo/suspend", headers=pos),
        await http.post(f"{TENANTS}/demo/resume", headers=admin_key),
    ]
    anonymous = await http.get(TENANTS)

    assert [a.status_code for a in answers] == [403] * 4, [a.text for a in answers]
    assert {a.json()["code"] for a in answers} == {"forbidden"}
    assert anonymous.status_code == 401


async def test_the_platform_credential_acts_inside_no_tenant(
    http: httpx.AsyncClient, platform_admin: Headers
) -> None:
    answers = [
        await http.get(
            "/v1/members/lookup",
            params={"type": "phone", "value": new_phone()},
            headers=platform_admin,
        ),
        await http.get("/v1/admin/whoami", headers=platform_admin),
        await http.post("/v1/admin/keys", json={"channel": "pos"}, headers=platform_admin),
    ]

    assert [a.status_code for a in answers] == [401] * 3, [a.text for a in answers]


async def test_suspension_refuses_key_session_and_member_token_on_the_next_request_until_resumed(
    http: httpx.AsyncClient, platform_admin: Headers
) -> None:
    tenant_id = (await created(http, platform_admin))["tenant_id"]
    operator = await first_admin(http, platform_admin, tenant_id)
    pos = await a_pos_key(http, operator, "SH01")
    made = await http.post("/v1/admin/keys", json={"channel": "app"}, headers=operator)
    app = bearer(made.json()["secret"])
    body = {"store_id": "SH01", "identities": [{"type": "phone", "value": new_phone()}]}
    member_id = (await http.post("/v1/members", json=body, headers=pos)).json()["member_id"]
    member = await member_session(http, app, member_id)
    points = f"/v1/members/{member_id}/points"
    # warm every cache a request fills (keys, sessions, tokens, policies) just before
    warm = [await http.get(points, headers=h) for h in (pos, operator, member)]

    suspended = await http.post(f"{TENANTS}/{tenant_id}/suspend", headers=platform_admin)
    refused = [await http.get(points, headers=h) for h in (pos, operator, member)]
    listed = await http.get(f"{TENANTS}/{tenant_id}", headers=platform_admin)
    resumed = await http.post(f"{TENANTS}/{tenant_id}/resume", headers=platform_admin)
    back = [await http.get(points, headers=h) for h in (pos, operator, member)]

    assert [a.status_code for a in warm] == [200] * 3, [a.text for a in warm]
    assert suspended.status_code == 200, suspended.text
    assert suspended.json()["status"] == "suspended"
    assert [a.status_code for a in refused] == [403] * 3, [a.text for a in refused]
    assert {a.json()["code"] for a in refused} == {"tenant_suspended"}
    assert {a.headers["content-type"] for a in refused} == {"application/problem+json"}
    assert listed.json()["status"] == "suspended"
    assert resumed.status_code == 200, resumed.text
    assert [a.status_code for a in back] == [200] * 3, [a.text for a in back]


async def test_a_suspended_tenants_operators_and_members_cannot_sign_in(
    http: httpx.AsyncClient, platform_admin: Headers
) -> None:
    tenant_id = (await created(http, platform_admin))["tenant_id"]
    email = f"it-{uuid4().hex[:8]}@acme.example"
    password = "a long first password"
    made = await http.post(
        f"{TENANTS}/{tenant_id}/operators",
        json={"email": email, "password": password},
        headers=platform_admin,
    )
    await http.post(f"{TENANTS}/{tenant_id}/suspend", headers=platform_admin)
    login = {"tenant_id": tenant_id, "email": email, "password": password}
    refused = await http.post("/v1/auth/sessions", json=login)
    identity = {"type": "phone", "value": new_phone()}
    code_asked = await http.post(
        "/v1/member-sessions/otp", json={"tenant_id": tenant_id, "identity": identity}
    )
    signing_in = await http.post(
        "/v1/member-sessions",
        json={"tenant_id": tenant_id, "identity": identity, "code": "123456"},
    )

    assert made.status_code == 201, made.text
    assert made.json()["password"] is None
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "tenant_suspended"
    assert code_asked.status_code == 403, code_asked.text
    assert code_asked.json()["code"] == "tenant_suspended"
    assert signing_in.status_code == 403, signing_in.text
    assert signing_in.json()["code"] == "tenant_suspended"


async def test_bad_input_gets_problems_with_field_codes_and_creates_nothing(
    http: httpx.AsyncClient, platform_admin: Headers
) -> None:
    bad = a_tenant(
        tenant_id="Not_Lower",
        time_zone="Mars/Olympus",
        currency="cny",
        languages=["en", "en"],
        stores=[{"store_id": "S1"}, {"store_id": "S1"}],
        branding={"colour": "green"},
        web_origins=["shop.acme.example"],
        rate_limits={"per_key": {"per_second": 0, "burst": 10}},
        surprise=True,
    )
    refused = await http.post(TENANTS, json=bad, headers=platform_admin)
    other_currency = a_tenant(point_value={"amount": "0.01", "currency": "USD"})
    mismatched = await http.post(TENANTS, json=other_currency, headers=platform_admin)
    missing = await http.get(f"{TENANTS}/{other_currency['tenant_id']}", headers=platform_admin)
    tenant = await created(http, platform_admin)
    again = await http.post(
        TENANTS, json=a_tenant(tenant_id=tenant["tenant_id"]), headers=platform_admin
    )
    short = await http.post(
        f"{TENANTS}/{tenant['tenant_id']}/operators",
        json={"email": "it@acme.example", "password": "short"},
        headers=platform_admin,
    )
    unknown = await http.post(f"{TENANTS}/t-{uuid4().hex[:12]}/suspend", headers=platform_admin)

    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    codes = {error["location"]: error["code"] for error in refused.json()["errors"]}
    assert codes == {
        "body.tenant_id": "bad_format",
        "body.time_zone": "invalid",
        "body.currency": "bad_format",
        "body.languages": "invalid",
        "body.stores": "invalid",
        "body.branding.colour": "bad_format",
        "body.web_origins[0]": "bad_format",
        "body.rate_limits.per_key.per_second": "must_exceed",
        "body.surprise": "unknown_field",
    }
    assert mismatched.status_code == 422, mismatched.text
    assert mismatched.json()["errors"][0]["location"] == "body.point_value.currency"
    assert mismatched.json()["errors"][0]["code"] == "not_allowed"
    assert missing.status_code == 404
    assert missing.json()["code"] == "tenant_not_found"
    assert again.status_code == 409
    assert again.json()["code"] == "tenant_exists"
    assert short.status_code == 422
    assert short.json()["errors"][0]["location"] == "body.password"
    assert unknown.status_code == 404
