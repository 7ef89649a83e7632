"""Tenant isolation for every route: the tenant always comes from the credential, and
anything outside it is 404. The demo tenant holds a member, an order, a hold, a campaign
and a key; the sandbox tenant's credentials try to reach each through every route."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import httpx
import pytest
import pytest_asyncio

from gateway.coupons.bodies import CouponTemplateBody
from gateway.matrix import MATRIX
from gateway.openapi.examples import BODY_EXAMPLES
from libs.stack.platform import Stack
from tests.e2e.gateway_support import an_order, held, key, member_session, new_phone, signed_in
from tests.e2e.isolation_cases import CASES, OWN_SETTINGS
from tests.e2e.isolation_kinds import Foreign
from tests.e2e.isolation_world import Call, World

PRINCIPALS = ("pos", "app", "operator")
PROBLEM_FIELDS = {"type", "title", "status", "detail", "code", "request_id"}
in_module_loop = pytest.mark.asyncio(loop_scope="module")


def protected_routes() -> list[tuple[str, str]]:
    return sorted(route for route, rule in MATRIX.items() if not rule.public)


def test_every_route_has_a_tenant_isolation_case() -> None:
    missing = [
        f"{method} {path}"
        for method, path in protected_routes()
        if (method, path) not in CASES and (method, path) not in OWN_SETTINGS
    ]
    assert not missing, (
        "routes without a tenant isolation case; add one to tests/e2e/isolation_cases.py:\n"
        + "\n".join(missing)
    )


async def balance(http: httpx.AsyncClient, pos: dict[str, str], member_id: str) -> tuple[int, int]:
    points = (await http.get(f"/v1/members/{member_id}/points", headers=pos)).json()
    return points["available"], points["held"]


async def enrolled(http: httpx.AsyncClient, pos: dict[str, str], phone: str) -> str:
    body = {"store_id": "S001", "identities": [{"type": "phone", "value": phone}]}
    created = await http.post("/v1/members", json=body, headers=pos)
    assert created.status_code == 201, created.text
    member_id: str = created.json()["member_id"]
    return member_id


async def demo_approval(http: httpx.AsyncClient, operator: dict[str, str]) -> str:
    """A request of the demo tenant waiting for approval; its policy is put back after."""
    policy = "/v1/admin/approval-policy"
    before = (await http.get(policy, headers=operator)).json()
    await http.put(policy, json={**before, "operator_keys": True}, headers=operator)
    try:
        held = await http.post("/v1/admin/keys", json={"channel": "operator"}, headers=operator)
    finally:
        await http.put(policy, json=before, headers=operator)
    assert held.status_code == 202, held.text
    approval_id: str = held.json()["approval_id"]
    return approval_id


async def demo_coupons(http: httpx.AsyncClient, operator: dict[str, str]) -> dict[str, str]:
    """A coupon template of the demo tenant, a batch of its codes and a public code."""
    template = await http.post(
        "/v1/admin/coupon-templates",
        json=CouponTemplateBody.model_json_schema()["examples"][0],
        headers=operator,
    )
    assert template.status_code == 201, template.text
    template_id = template.json()["template_id"]
    batch = await http.post(
        f"/v1/admin/coupon-templates/{template_id}/batches", json={"count": 1}, headers=operator
    )
    public = await http.post(
        f"/v1/admin/coupon-templates/{template_id}/public-codes",
        json={"code": f"ISO-{uuid4().hex[:8]}", "usage_limit": 10},
        headers=operator,
    )
    assert batch.status_code == public.status_code == 201, (batch.text, public.text)
    return {
        "template_id": template_id,
        "batch_id": batch.json()["batch_id"],
        "coupon_code": public.json()["code"],
    }


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(platform_stack: Stack) -> AsyncIterator[World]:
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        demo = {p: key(platform_stack, "demo", p) for p in PRINCIPALS}
        phone = new_phone()
        member_id = await enrolled(http, demo["pos"], phone)
        order = an_order(member_id)
        assert (await http.post("/v1/orders", json=order, headers=demo["pos"])).status_code == 201
        campaign = await http.post(
            "/v1/admin/campaigns", json=BODY_EXAMPLES["CampaignBody"], headers=demo["operator"]
        )
        made_key = await http.post(
            "/v1/admin/keys", json={"channel": "app"}, headers=demo["operator"]
        )
        segment = await http.post(
            "/v1/admin/segments", json={"name": "Isolation"}, headers=demo["operator"]
        )
        assert campaign.status_code == made_key.status_code == segment.status_code == 201
        webhook = await http.post(
            "/v1/admin/webhooks",
            json={"url": "https://erp.example.com/demo", "event_types": ["campaign.changed"]},
            headers=demo["operator"],
        )
        assert webhook.status_code == 201, webhook.text
        webhook_id = webhook.json()["webhook"]["endpoint_id"]
        disabled = await http.post(
            f"/v1/admin/webhooks/{webhook_id}/disable", headers=demo["operator"]
        )
        assert disabled.status_code == 200, disabled.text
        operators = await http.get("/v1/admin/operators", headers=demo["operator"])
        approval_id = await demo_approval(http, demo["operator"])
        coupons = await demo_coupons(http, demo["operator"])
        login = platform_stack.credentials["operators"][0]
        redemption_id = await held(http, demo["pos"], member_id, "S001", points=10)
        operation = await http.post(
            "/v1/admin/operations",
            json={"kind": "backtest", "subject": campaign.json()["campaign_id"], "total": 1},
            headers=demo["operator"],
        )
        assert operation.status_code == 201, operation.text
        sandbox = {p: key(platform_stack, "sandbox", p) for p in PRINCIPALS}
        sandbox_member = await enrolled(http, sandbox["pos"], new_phone())
        sandbox["member"] = await member_session(http, sandbox["app"], sandbox_member)
        code_for_demo_phone = await http.post(
            "/v1/member-sessions/otp",
            json={"tenant_id": "demo", "identity": {"type": "phone", "value": phone}},
        )
        assert code_for_demo_phone.status_code == 202, code_for_demo_phone.text
        demo_member_session = await member_session(http, demo["app"], member_id)
        feedback = await http.post(
            f"/v1/members/{member_id}/feedback",
            json={"kind": "rating", "rating": 4, "store_id": "S001", "comment": "Isolation"},
            headers=demo_member_session,
        )
        assert feedback.status_code == 201, feedback.text
        yield World(
            http=http,
            demo=demo,
            sandbox=sandbox,
            member_id=member_id,
            other_member_id=await enrolled(http, demo["pos"], new_phone()),
            phone=phone,
            order_id=order["order_id"],
            redemption_id=redemption_id,
            balance=await balance(http, demo["pos"], member_id),
            campaign_id=campaign.json()["campaign_id"],
            segment_id=segment.json()["segment_id"],
            **coupons,
            key_id=made_key.json()["key"]["key_id"],
            approval_id=approval_id,
            operator_id=operators.json()["operators"][0]["operator_id"],
            webhook_id=webhook_id,
            session=await signed_in(
                http, {k: login[k] for k in ("tenant_id", "email", "password")}
            ),
            member_session=demo_member_session,
            spare_member=await member_session(http, sandbox["app"], sandbox_member),
            operation_id=operation.json()["operation_id"],
            feedback_id=feedback.json()["feedback_id"],
        )


async def send(world: World, method: str, principal: str, call: Call) -> httpx.Response:
    headers = {**world.sandbox[principal], **call.headers}
    return await world.http.request(
        method,
        call.path,
        json=call.json,
        params=call.params,
        content=call.content,
        headers=headers,
    )


@in_module_loop
@pytest.mark.parametrize(("method", "path"), sorted(CASES))
async def test_the_sandbox_tenant_cannot_reach_the_demo_tenants_data(
    world: World, method: str, path: str
) -> None:
    case = CASES[(method, path)]

    response = await send(world, method, case.principal, case.build(world))

    if isinstance(case, Foreign):
        assert response.status_code == 404, response.text
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert set(problem) <= PROBLEM_FIELDS, problem  # no data of the demo tenant
        assert problem["code"].endswith("not_found"), problem
    else:
        await case.judge(world, response)


async def put_body(world: World, path: str, current: dict[str, Any]) -> dict[str, Any]:
    document = (await world.http.get("/openapi.json")).json()
    body = document["paths"][path]["put"]["requestBody"]["content"]["application/json"]
    name = body["schema"]["$ref"].rpartition("/")[2]
    fields = document["components"]["schemas"][name]["properties"]
    return {k: v for k, v in current.items() if k in fields}


@in_module_loop
@pytest.mark.parametrize(("method", "path"), sorted(OWN_SETTINGS))
async def test_writing_the_own_settings_leaves_the_demo_tenants_alone(
    world: World, method: str, path: str
) -> None:
    read = OWN_SETTINGS[(method, path)]
    demo_before = (await world.http.get(read, headers=world.demo["operator"])).json()
    own = (await world.http.get(read, headers=world.sandbox["operator"])).json()

    written = await world.http.put(
        path, json=await put_body(world, path, own), headers=world.sandbox["operator"]
    )
    demo_after = (await world.http.get(read, headers=world.demo["operator"])).json()

    assert written.status_code == 200, written.text
    assert demo_after == demo_before


@in_module_loop
async def test_nothing_the_sandbox_tried_changed_the_demo_members_points(world: World) -> None:
    after = await balance(world.http, world.demo["pos"], world.member_id)
    capture = await world.http.post(
        f"/v1/redemptions/{world.redemption_id}/capture", headers=world.demo["pos"]
    )

    assert after == world.balance
    assert world.balance[1] == 10
    assert capture.json()["status"] == "captured"
