"""Every route of the app, called by every principal, answers as the matrix says."""

from __future__ import annotations

import re
from typing import Any

from gateway.access.permissions import MEMBER, PRINCIPALS, TOUCHPOINTS, principal_of
from gateway.matrix import MATRIX
from gateway.tenancy.keys import CHANNELS, OPERATOR_SCOPES, ROLES, Channel, default_scopes
from gateway.tenancy.platform_admins import PLATFORM
from gateway.tests.integration.support import Gateway, new_tenant
from gateway.tests.routes import app_routes

# A value for each path parameter that passes the route's own validation.
PARAMETERS = {"type": "phone", "value": "+8613800000000", "name": "nothing.css"}


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PARAMETERS.get(m[1], f"x{m[1]}1"), path)


async def credentials(gateway: Gateway, tenant: str) -> dict[str, dict[str, str]]:
    """Authorization headers for a key of every channel, an operator of every role, and a
    member token for the member the concrete paths name."""
    found: dict[str, dict[str, str]] = {}
    for channel in TOUCHPOINTS:
        found[channel] = await gateway.key(tenant, channel)
    for role in ROLES:
        issued = await gateway.container.keys.create_key(tenant, "operator", role=role)
        found[role] = {"Authorization": f"Bearer {issued.secret}"}
    found[MEMBER] = await gateway.member_token(tenant, concrete("{member_id}"))
    issued_admin = await gateway.container.platform_admins.create("matrix test")
    found[PLATFORM] = {"Authorization": f"Bearer {issued_admin.secret}"}
    return found


def scopes_of(principal: str, channel: Channel) -> frozenset[str]:
    return frozenset({PLATFORM}) if principal == PLATFORM else frozenset(default_scopes(channel))


async def test_every_route_answers_each_principal_as_the_matrix_says(gateway: Gateway) -> None:
    tenant = new_tenant()
    keys = await credentials(gateway, tenant)
    wrong: list[str] = []
    for method, path in app_routes(gateway.app):
        rule = MATRIX.get((method, path))
        if rule is None:
            wrong.append(f"{method} {path}: no entry in gateway/permissions.py")
            continue
        for principal in PRINCIPALS:
            if rule.public:
                continue
            channel: Channel = "operator"
            for touchpoint in TOUCHPOINTS:
                channel = touchpoint if touchpoint == principal else channel
            allowed = rule.permits(principal, scopes_of(principal, channel))
            body: dict[str, Any] | None = {} if method in ("POST", "PUT", "PATCH") else None
            headers = keys[principal]
            if principal == MEMBER:  # a fresh token: DELETE /v1/member-sessions/current ends one
                headers = await gateway.member_token(tenant, concrete("{member_id}"))
            response = await gateway.client.request(
                method, concrete(path), json=body, headers=headers
            )
            refused = response.status_code == 403 and response.json()["code"] == "forbidden"
            if principal == PLATFORM and not allowed:  # unknown to the tenants' routes
                if response.status_code != 401:
                    wrong.append(f"{method} {path} as {principal}: {response.status_code}")
                continue
            if allowed == refused or response.status_code == 401:
                wrong.append(f"{method} {path} as {principal}: {response.status_code}")

    assert wrong == []


async def test_public_routes_answer_without_any_key(gateway: Gateway) -> None:
    public = [route for route, rule in MATRIX.items() if rule.public]
    answers = {}
    for method, path in public:
        body: dict[str, Any] | None = {} if method == "POST" else None
        response = await gateway.client.request(method, concrete(path), json=body)
        answers[f"{method} {path}"] = response.status_code

    assert not [route for route, status in answers.items() if status in (401, 403)]
    assert answers["GET /healthz"] == 200


async def test_a_key_without_the_routes_scope_is_refused(gateway: Gateway) -> None:
    reader = await gateway.key(new_tenant(), "app", scopes=["members:read"])

    response = await gateway.client.post(
        "/v1/members", json={}, headers={**reader, "Idempotency-Key": "k" * 300}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


async def test_an_operator_key_without_a_role_acts_as_admin(gateway: Gateway) -> None:
    operator = await gateway.key(new_tenant(), "operator")
    issued = await gateway.container.keys.find_by_secret(operator["Authorization"][7:])

    response = await gateway.client.get("/v1/admin/keys", headers=operator)

    assert issued is not None
    assert principal_of(issued) == "admin"
    assert response.status_code == 200


async def scoped_key(gateway: Gateway, tenant: str, principal: str, scopes: list[str]) -> Any:
    """Authorization headers for a key acting as `principal` that carries only `scopes`."""
    if principal in TOUCHPOINTS:
        channel: Channel = next(c for c in TOUCHPOINTS if c == principal)
        issued = await gateway.container.keys.create_key(tenant, channel, scopes=scopes)
    else:
        issued = await gateway.container.keys.create_key(
            tenant, "operator", role=principal, scopes=scopes
        )
    return {"Authorization": f"Bearer {issued.secret}"}


async def test_every_route_refuses_a_key_without_its_scope_and_admits_one_with_it(
    gateway: Gateway,
) -> None:
    tenant = new_tenant()
    wrong: list[str] = []
    for (method, path), rule in sorted(MATRIX.items()):
        if rule.public or rule.scope is None or PLATFORM in rule.allowed:
            continue  # the platform's rows: test_platform_api.py
        principal = sorted(rule.allowed)[0]
        others = [s for s in OPERATOR_SCOPES if s != rule.scope]
        body: dict[str, Any] | None = {} if method in ("POST", "PUT", "PATCH") else None
        for scopes, refused in ((others, True), ([rule.scope], False)):
            headers = await scoped_key(gateway, tenant, principal, scopes)
            response = await gateway.client.request(
                method, concrete(path), json=body, headers=headers
            )
            forbidden = response.status_code == 403 and response.json()["code"] == "forbidden"
            if forbidden != refused or response.status_code == 401:
                wrong.append(
                    f"{method} {path} as {principal} with {scopes}: {response.status_code}"
                )

    assert wrong == []


async def test_a_points_reader_operator_key_may_not_create_keys_or_erase_members(
    gateway: Gateway,
) -> None:
    reader = await scoped_key(gateway, new_tenant(), "admin", ["points:read"])

    created = await gateway.client.post("/v1/admin/keys", json={"channel": "pos"}, headers=reader)
    erased = await gateway.client.post("/v1/members/m_x1/erase", json={}, headers=reader)
    balance = await gateway.client.get("/v1/members/m_x1/points", headers=reader)

    assert (created.status_code, erased.status_code) == (403, 403)
    assert balance.status_code != 403


def test_every_channel_is_covered_by_the_principals() -> None:
    assert set(CHANNELS) - {"operator"} == set(TOUCHPOINTS)
