"""The demo tenant's data the isolation test tries to reach, and how it judges the
answers of routes that name no resource of another tenant."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.e2e.gateway_support import Headers

C = "/v1/admin/campaigns"
S = "/v1/admin/segments"


@dataclass(frozen=True)
class World:
    """What the demo tenant holds for the test, and the callers of both tenants."""

    http: httpx.AsyncClient
    demo: dict[str, Headers]  # principal -> headers
    sandbox: dict[str, Headers]
    member_id: str
    other_member_id: str
    phone: str
    order_id: str
    redemption_id: str
    campaign_id: str
    segment_id: str
    template_id: str
    batch_id: str
    coupon_code: str  # a public code of the demo tenant
    key_id: str
    approval_id: str  # a demo request waiting for approval
    operator_id: str  # a demo operator
    webhook_id: str  # a demo webhook endpoint (disabled: it sends nothing)
    session: Headers  # a demo operator's signed-in session
    member_session: Headers  # the demo member's own member token
    spare_member: Headers  # a sandbox member's token to end
    balance: tuple[int, int]  # the demo member's available and held points
    operation_id: str  # a long operation the demo operator key recorded
    feedback_id: str  # the demo member's rating of a store visit


@dataclass(frozen=True)
class Call:
    path: str
    json: Any = None
    params: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None
    headers: Headers = field(default_factory=dict)


async def answered_ok(_: World, response: httpx.Response) -> None:
    assert response.status_code in (200, 201), response.text


async def stays_in_sandbox(_: World, response: httpx.Response) -> None:
    assert response.status_code in (200, 201), response.text
    found = response.json()
    tenant = found.get("tenant_id") or found.get("key", {}).get("tenant_id")
    assert tenant == "sandbox", found


async def enrols_its_own_member(w: World, response: httpx.Response) -> None:
    assert response.status_code == 201, response.text
    assert response.json()["member_id"] != w.member_id


async def lists_no_demo_operator(w: World, response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert w.operator_id not in {o["operator_id"] for o in response.json()["operators"]}


async def lists_no_demo_key(w: World, response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert w.key_id not in {key["key_id"] for key in response.json()["keys"]}


async def lists_no_demo_webhook(w: World, response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert w.webhook_id not in {h["endpoint_id"] for h in response.json()["webhooks"]}


async def makes_a_webhook_of_its_own(w: World, response: httpx.Response) -> None:
    assert response.status_code == 201, response.text
    made = response.json()["webhook"]["endpoint_id"]
    demos = await w.http.get("/v1/admin/webhooks", headers=w.demo["operator"])
    assert made not in {h["endpoint_id"] for h in demos.json()["webhooks"]}


async def finds_no_demo_member(w: World, response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert w.member_id not in response.text


async def lists_no_demo_campaign(w: World, response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert w.campaign_id not in response.text


async def lists_no_demo_hold(w: World, response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert w.redemption_id not in response.text
    assert w.member_id not in response.text


async def lists_no_demo_operation(w: World, response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert response.json()["operations"] == []


async def its_operation_is_its_own(w: World, response: httpx.Response) -> None:
    assert response.status_code == 201, response.text
    made = response.json()["operation_id"]
    listed = await w.http.get("/v1/admin/operations", headers=w.demo["operator"])
    assert made not in listed.text


async def its_campaign_is_not_the_demos(w: World, response: httpx.Response) -> None:
    assert response.status_code == 201, response.text
    made = response.json()["campaign_id"]
    seen = await w.http.get(f"{C}/{made}", headers=w.demo["operator"])
    assert seen.status_code == 404, seen.text


async def rejects_the_demo_member_row(w: World, response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["accepted"] == 0
    assert [row["code"] for row in report["rejected"]] == ["member_not_found"]


async def leaves_the_demo_member_session_alone(w: World, response: httpx.Response) -> None:
    assert response.status_code == 204, response.text
    own = await w.http.get(f"/v1/members/{w.member_id}", headers=w.member_session)
    assert own.status_code == 200, own.text


async def shows_no_demo_code_message(w: World, response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert w.phone not in response.text


async def leaves_the_demo_session_alone(w: World, response: httpx.Response) -> None:
    assert response.status_code == 404, response.text
    assert (await w.http.get("/v1/admin/whoami", headers=w.session)).status_code == 200


async def lists_no_demo_segment(w: World, response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert w.segment_id not in response.text


async def its_segment_is_not_the_demos(w: World, response: httpx.Response) -> None:
    assert response.status_code == 201, response.text
    made = response.json()["segment_id"]
    seen = await w.http.get(f"{S}/{made}", headers=w.demo["operator"])
    assert seen.status_code == 404, seen.text


async def lists_no_demo_template(w: World, response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert w.template_id not in response.text


async def its_template_is_not_the_demos(w: World, response: httpx.Response) -> None:
    assert response.status_code == 201, response.text
    made = response.json()["template_id"]
    seen = await w.http.get(f"/v1/admin/coupon-templates/{made}", headers=w.demo["operator"])
    assert seen.status_code == 404, seen.text


async def shows_no_demo_audit_entry(w: World, response: httpx.Response) -> None:
    """The sandbox's own refused attempts on the demo key may be in its trail (their path
    names the key); the demo operator's creation of it, never."""
    assert response.status_code == 200, response.text
    statuses = [e["status"] for e in response.json()["entries"]]
    assert all(status >= 400 for status in statuses), statuses


async def exports_no_demo_audit_entry(w: World, response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert all(int(row["status"]) >= 400 for row in rows), rows


async def lists_no_demo_feedback(w: World, response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert w.feedback_id not in response.text


async def lists_no_demo_approval(w: World, response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert w.approval_id not in response.text
