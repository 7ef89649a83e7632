"""For every route of the gateway: how the sandbox tenant's credential tries to reach the
demo tenant's data through it, and what must come back.

`Foreign` names a demo resource (in the path or the body): the answer must be 404
problem+json, never 403 and never data. `Judged` is for routes that name no resource of
another tenant (lists, searches, creations, the caller's own settings): its check proves
the demo tenant's data stays out of the answer, or the answer stays in the caller's tenant.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote
from uuid import uuid4

import httpx
from pydantic import BaseModel

from gateway.campaigns.audience_bodies import BacktestBody, DryRunBody, SegmentBody
from gateway.carts.bodies import CartBody
from gateway.coupons.bodies import CouponTemplateBody
from gateway.openapi.examples import BODY_EXAMPLES
from tests.e2e.gateway_support import an_order
from tests.e2e.isolation_world import (
    C,
    Call,
    S,
    World,
    answered_ok,
    enrols_its_own_member,
    exports_no_demo_audit_entry,
    finds_no_demo_member,
    its_campaign_is_not_the_demos,
    its_operation_is_its_own,
    its_segment_is_not_the_demos,
    its_template_is_not_the_demos,
    leaves_the_demo_member_session_alone,
    leaves_the_demo_session_alone,
    lists_no_demo_approval,
    lists_no_demo_campaign,
    lists_no_demo_hold,
    lists_no_demo_key,
    lists_no_demo_operation,
    lists_no_demo_operator,
    lists_no_demo_segment,
    lists_no_demo_template,
    lists_no_demo_webhook,
    makes_a_webhook_of_its_own,
    rejects_the_demo_member_row,
    shows_no_demo_audit_entry,
    shows_no_demo_code_message,
    stays_in_sandbox,
)

Build = Callable[[World], Call]
Judge = Callable[[World, httpx.Response], Awaitable[None]]


@dataclass(frozen=True)
class Foreign:
    principal: str
    build: Build


@dataclass(frozen=True)
class Judged:
    principal: str
    build: Build
    judge: Judge


Case = Foreign | Judged
T = "/v1/admin/coupon-templates"
WH = "/v1/admin/webhooks/{endpoint_id}"
M = "/v1/members/{member_id}"


def member(suffix: str = "", json: Any = None) -> Build:
    return lambda w: Call(f"/v1/members/{w.member_id}{suffix}", json=json)


def webhook(suffix: str, json: Any = None) -> Build:
    return lambda w: Call(f"/v1/admin/webhooks/{w.webhook_id}{suffix}", json=json)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid4().hex}"


def example_of(model: type[BaseModel]) -> Any:
    return model.model_json_schema()["examples"][0]


async def shows_no_demo_figures(w: World, response: httpx.Response) -> None:
    """An analytics report of the sandbox: none of the demo's figures (the demo has its
    member, its order and points; the same report of the demo's shows them)."""
    assert response.status_code == 200, response.text
    path = response.request.url.path
    demo = await w.http.get(path, headers=w.demo["operator"])
    assert demo.status_code == 200, demo.text
    assert response.json() != demo.json()


def _until() -> str:
    return (datetime.now(UTC) + timedelta(days=30)).isoformat()


CASES: dict[tuple[str, str], Case] = {
    ("POST", "/v1/members"): Judged(
        "pos",
        lambda w: Call(
            "/v1/members",
            json={"store_id": "S001", "identities": [{"type": "phone", "value": w.phone}]},
        ),
        enrols_its_own_member,
    ),
    ("GET", "/v1/members/lookup"): Foreign(
        "pos", lambda w: Call("/v1/members/lookup", params={"type": "phone", "value": w.phone})
    ),
    ("GET", M): Foreign("pos", member()),
    ("POST", f"{M}/identities"): Foreign(
        "pos", member("/identities", {"type": "email", "value": f"{uuid4().hex}@x.example"})
    ),
    ("DELETE", f"{M}/identities/{{type}}/{{value}}"): Foreign(
        "pos", lambda w: Call(f"/v1/members/{w.member_id}/identities/phone/{quote(w.phone)}")
    ),
    ("PATCH", f"{M}/profile"): Foreign("pos", member("/profile", {"name": "Mallory"})),
    ("PUT", f"{M}/consents"): Foreign(
        "pos", member("/consents", {"consents": {"marketing": True}})
    ),
    ("GET", f"{M}/code"): Foreign("member", member("/code")),
    ("POST", f"{M}/sessions"): Foreign("app", member("/sessions")),
    ("POST", f"{M}/session-handoffs"): Foreign("app", member("/session-handoffs")),
    ("POST", f"{M}/erase"): Foreign("operator", member("/erase")),
    ("GET", f"{M}/export"): Foreign("member", member("/export")),
    ("GET", f"{M}/audit"): Foreign("operator", member("/audit")),
    ("GET", f"{M}/consents/history"): Foreign("operator", member("/consents/history")),
    ("GET", f"{M}/tier-progress"): Foreign("pos", member("/tier-progress")),
    ("POST", "/v1/members/merge"): Foreign(
        "operator",
        lambda w: Call(
            "/v1/members/merge",
            json={"survivor_id": w.member_id, "merged_id": w.other_member_id},
        ),
    ),
    ("GET", f"{M}/points"): Foreign("pos", member("/points")),
    ("GET", f"{M}/points/ledger"): Foreign("pos", member("/points/ledger")),
    ("GET", f"{M}/points/expiring"): Foreign("pos", member("/points/expiring")),
    ("POST", f"{M}/points/transfers"): Foreign(
        "member",
        lambda w: Call(
            f"/v1/members/{w.member_id}/points/transfers",
            json={"transfer_id": unique("T"), "to_member_id": w.other_member_id, "points": 1},
        ),
    ),
    ("POST", "/v1/orders"): Foreign(
        "pos", lambda w: Call("/v1/orders", json=an_order(w.member_id))
    ),
    ("POST", "/v1/orders/{order_id}/returns"): Foreign(
        "pos",
        lambda w: Call(
            f"/v1/orders/{w.order_id}/returns", json={"return_id": unique("R"), "amount": "10.00"}
        ),
    ),
    ("POST", "/v1/redemptions"): Foreign(
        "pos",
        lambda w: Call(
            "/v1/redemptions", json={"member_id": w.member_id, "points": 1, "store_id": "S001"}
        ),
    ),
    ("POST", "/v1/redemptions/{redemption_id}/capture"): Foreign(
        "pos", lambda w: Call(f"/v1/redemptions/{w.redemption_id}/capture")
    ),
    ("POST", "/v1/redemptions/{redemption_id}/cancel"): Foreign(
        "pos", lambda w: Call(f"/v1/redemptions/{w.redemption_id}/cancel")
    ),
    ("POST", "/v1/admin/redemptions/{redemption_id}/reversal"): Foreign(
        "operator", lambda w: Call(f"/v1/admin/redemptions/{w.redemption_id}/reversal")
    ),
    ("GET", "/v1/admin/members/{member_id}/orders"): Foreign(
        "operator", lambda w: Call(f"/v1/admin/members/{w.member_id}/orders")
    ),
    ("GET", "/v1/admin/members/{member_id}/redemptions"): Foreign(
        "operator", lambda w: Call(f"/v1/admin/members/{w.member_id}/redemptions")
    ),
    ("GET", "/v1/admin/holds/expiring"): Judged(
        "operator",
        lambda w: Call("/v1/admin/holds/expiring?within_minutes=10080"),
        lists_no_demo_hold,
    ),
    ("POST", "/v1/admin/operations"): Judged(
        "operator",
        lambda w: Call("/v1/admin/operations", json={"kind": "backtest", "subject": "x"}),
        its_operation_is_its_own,
    ),
    ("GET", "/v1/admin/operations"): Judged(
        "operator",
        lambda w: Call(f"/v1/admin/operations?subject={w.campaign_id}"),
        lists_no_demo_operation,
    ),
    ("PUT", "/v1/admin/operations/{operation_id}"): Foreign(
        "operator",
        lambda w: Call(f"/v1/admin/operations/{w.operation_id}", json={"done": 1, "total": 1}),
    ),
    ("GET", "/v1/admin/whoami"): Judged(
        "operator", lambda w: Call("/v1/admin/whoami"), stays_in_sandbox
    ),
    ("POST", "/v1/admin/keys"): Judged(
        "operator", lambda w: Call("/v1/admin/keys", json={"channel": "app"}), stays_in_sandbox
    ),
    ("POST", "/v1/admin/webhooks"): Judged(
        "operator",
        lambda w: Call(
            "/v1/admin/webhooks",
            json={"url": "https://erp.example.com/hook", "event_types": ["campaign.changed"]},
        ),
        makes_a_webhook_of_its_own,
    ),
    ("GET", "/v1/admin/webhooks"): Judged(
        "operator", lambda w: Call("/v1/admin/webhooks"), lists_no_demo_webhook
    ),
    ("GET", WH): Foreign("operator", webhook("")),
    ("PATCH", WH): Foreign("operator", webhook("", {"enabled": True})),
    ("DELETE", WH): Foreign("operator", webhook("")),
    ("POST", f"{WH}/disable"): Foreign("operator", webhook("/disable")),
    ("POST", f"{WH}/enable"): Foreign("operator", webhook("/enable")),
    ("POST", f"{WH}/rotate"): Foreign("operator", webhook("/rotate")),
    ("GET", f"{WH}/deliveries"): Foreign("operator", webhook("/deliveries")),
    ("POST", f"{WH}/deliveries/{{delivery_id}}/replay"): Foreign(
        "operator", webhook("/deliveries/msg_x/replay")
    ),
    ("POST", f"{WH}/replay"): Foreign(
        "operator",
        webhook("/replay", {"start": "2026-01-01T00:00:00Z", "end": "2026-01-02T00:00:00Z"}),
    ),
    ("GET", "/v1/admin/keys"): Judged(
        "operator", lambda w: Call("/v1/admin/keys"), lists_no_demo_key
    ),
    ("POST", "/v1/admin/keys/{key_id}/rotate"): Foreign(
        "operator", lambda w: Call(f"/v1/admin/keys/{w.key_id}/rotate", json={})
    ),
    ("POST", "/v1/admin/keys/{key_id}/revoke"): Foreign(
        "operator", lambda w: Call(f"/v1/admin/keys/{w.key_id}/revoke")
    ),
    ("GET", "/v1/admin/operators"): Judged(
        "operator", lambda w: Call("/v1/admin/operators"), lists_no_demo_operator
    ),
    ("POST", "/v1/admin/operators"): Judged(
        "operator",
        lambda w: Call(
            "/v1/admin/operators",
            json={"email": f"{uuid4().hex}@x.example", "role": "auditor"}
            | {"password": "a long enough password"},
        ),
        answered_ok,
    ),
    ("PUT", "/v1/admin/operators/{operator_id}"): Foreign(
        "operator",
        lambda w: Call(f"/v1/admin/operators/{w.operator_id}", json={"role": "auditor"}),
    ),
    ("POST", "/v1/admin/operators/{operator_id}/disable"): Foreign(
        "operator", lambda w: Call(f"/v1/admin/operators/{w.operator_id}/disable")
    ),
    ("POST", "/v1/admin/operators/{operator_id}/enable"): Foreign(
        "operator", lambda w: Call(f"/v1/admin/operators/{w.operator_id}/enable")
    ),
    ("POST", "/v1/admin/operators/{operator_id}/sessions/end"): Foreign(
        "operator", lambda w: Call(f"/v1/admin/operators/{w.operator_id}/sessions/end")
    ),
    ("DELETE", "/v1/member-sessions/current"): Judged(
        "member",
        lambda w: Call("/v1/member-sessions/current", headers=w.spare_member),
        leaves_the_demo_member_session_alone,
    ),
    ("GET", "/v1/member-sessions/current"): Judged(
        "member", lambda w: Call("/v1/member-sessions/current"), stays_in_sandbox
    ),
    ("GET", "/v1/admin/branding"): Judged(
        "operator", lambda w: Call("/v1/admin/branding"), stays_in_sandbox
    ),
    ("GET", "/v1/admin/member-code-messages"): Judged(
        "operator", lambda w: Call("/v1/admin/member-code-messages"), shows_no_demo_code_message
    ),
    ("DELETE", "/v1/auth/sessions/current"): Judged(
        "operator", lambda w: Call("/v1/auth/sessions/current"), leaves_the_demo_session_alone
    ),
    ("GET", "/v1/admin/members"): Judged(
        "operator",
        lambda w: Call(
            "/v1/admin/members", params={"identity_type": "phone", "identity_value": w.phone}
        ),
        finds_no_demo_member,
    ),
    # The caller's own settings: nothing in the request can name another tenant.
    ("GET", "/v1/admin/member-attributes"): Judged(
        "operator", lambda w: Call("/v1/admin/member-attributes"), answered_ok
    ),
    ("GET", "/v1/admin/tier-program"): Judged(
        "operator", lambda w: Call("/v1/admin/tier-program"), answered_ok
    ),
    ("GET", "/v1/admin/points/settings"): Judged(
        "operator", lambda w: Call("/v1/admin/points/settings"), answered_ok
    ),
    ("PUT", "/v1/admin/members/{member_id}/tier"): Foreign(
        "operator",
        lambda w: Call(
            f"/v1/admin/members/{w.member_id}/tier",
            json={"tier": "gold", "reason": "isolation test", "until": _until()},
        ),
    ),
    ("POST", "/v1/admin/members/{member_id}/points/adjustments"): Foreign(
        "operator",
        lambda w: Call(
            f"/v1/admin/members/{w.member_id}/points/adjustments",
            json={"adjustment_id": unique("A"), "points": 5, "reason": "isolation test"},
        ),
    ),
    ("POST", "/v1/admin/points/adjustments/bulk"): Judged(
        "operator",
        lambda w: Call(
            "/v1/admin/points/adjustments/bulk",
            content=f"member_id,points,reason\n{w.member_id},5,isolation test\n".encode(),
            headers={"Content-Type": "text/csv"},
        ),
        rejects_the_demo_member_row,
    ),
    ("POST", "/v1/admin/points/transfers"): Foreign(
        "operator",
        lambda w: Call(
            "/v1/admin/points/transfers",
            json={
                "transfer_id": unique("T"),
                "from_member_id": w.member_id,
                "to_member_id": w.other_member_id,
                "points": 1,
            },
        ),
    ),
    ("GET", "/v1/admin/orders/{order_id}"): Foreign(
        "operator", lambda w: Call(f"/v1/admin/orders/{w.order_id}")
    ),
    ("POST", "/v1/admin/points/reconciliation"): Judged(
        "operator", lambda w: Call("/v1/admin/points/reconciliation"), finds_no_demo_member
    ),
    ("POST", C): Judged(
        "operator",
        lambda w: Call(C, json=BODY_EXAMPLES["CampaignBody"]),
        its_campaign_is_not_the_demos,
    ),
    ("GET", C): Judged("operator", lambda w: Call(C), lists_no_demo_campaign),
    ("GET", f"{C}/{{campaign_id}}"): Foreign("operator", lambda w: Call(f"{C}/{w.campaign_id}")),
    ("GET", f"{C}/{{campaign_id}}/results/daily"): Foreign(
        "operator", lambda w: Call(f"{C}/{w.campaign_id}/results/daily")
    ),
    ("PUT", f"{C}/{{campaign_id}}"): Foreign(
        "operator", lambda w: Call(f"{C}/{w.campaign_id}", json=BODY_EXAMPLES["CampaignBody"])
    ),
    ("POST", f"{C}/{{campaign_id}}/activate"): Foreign(
        "operator", lambda w: Call(f"{C}/{w.campaign_id}/activate")
    ),
    ("POST", f"{C}/{{campaign_id}}/pause"): Foreign(
        "operator", lambda w: Call(f"{C}/{w.campaign_id}/pause")
    ),
    ("POST", f"{C}/{{campaign_id}}/dry-run"): Foreign(
        "operator",
        lambda w: Call(
            f"{C}/{w.campaign_id}/dry-run",
            json={**example_of(DryRunBody), "member_id": w.member_id},
        ),
    ),
    ("POST", f"{C}/{{campaign_id}}/backtest"): Foreign(
        "operator", lambda w: Call(f"{C}/{w.campaign_id}/backtest", json=example_of(BacktestBody))
    ),
    ("POST", S): Judged(
        "operator", lambda w: Call(S, json=example_of(SegmentBody)), its_segment_is_not_the_demos
    ),
    # Counts the caller's own members: nothing in the request names another tenant.
    ("POST", f"{S}/preview"): Judged(
        "operator", lambda w: Call(f"{S}/preview", json={"rules": {}}), answered_ok
    ),
    ("GET", S): Judged("operator", lambda w: Call(S), lists_no_demo_segment),
    ("GET", f"{S}/{{segment_id}}"): Foreign("operator", lambda w: Call(f"{S}/{w.segment_id}")),
    ("PUT", f"{S}/{{segment_id}}"): Foreign(
        "operator", lambda w: Call(f"{S}/{w.segment_id}", json=example_of(SegmentBody))
    ),
    ("POST", T): Judged(
        "operator",
        lambda w: Call(T, json=example_of(CouponTemplateBody)),
        its_template_is_not_the_demos,
    ),
    ("GET", T): Judged("operator", lambda w: Call(T), lists_no_demo_template),
    ("GET", f"{T}/{{template_id}}"): Foreign("operator", lambda w: Call(f"{T}/{w.template_id}")),
    ("POST", f"{T}/{{template_id}}/pause"): Foreign(
        "operator", lambda w: Call(f"{T}/{w.template_id}/pause")
    ),
    ("POST", f"{T}/{{template_id}}/resume"): Foreign(
        "operator", lambda w: Call(f"{T}/{w.template_id}/resume")
    ),
    ("POST", f"{T}/{{template_id}}/batches"): Foreign(
        "operator", lambda w: Call(f"{T}/{w.template_id}/batches", json={"count": 1})
    ),
    ("POST", f"{T}/{{template_id}}/public-codes"): Foreign(
        "operator",
        lambda w: Call(f"{T}/{w.template_id}/public-codes", json={"usage_limit": 10}),
    ),
    ("GET", "/v1/admin/coupon-batches/{batch_id}/codes"): Foreign(
        "operator", lambda w: Call(f"/v1/admin/coupon-batches/{w.batch_id}/codes")
    ),
    ("POST", "/v1/admin/members/{member_id}/coupons"): Foreign(
        "operator",
        lambda w: Call(
            f"/v1/admin/members/{w.member_id}/coupons", json={"template_id": w.template_id}
        ),
    ),
    ("GET", f"{M}/coupons"): Foreign("pos", member("/coupons")),
    ("POST", "/v1/coupons/validate"): Foreign(
        "pos",
        lambda w: Call("/v1/coupons/validate", json={"code": w.coupon_code, "store_id": "S001"}),
    ),
    ("POST", "/v1/coupons/redeem"): Foreign(
        "pos",
        lambda w: Call(
            "/v1/coupons/redeem",
            json={"code": w.coupon_code, "store_id": "S001", "redemption_id": unique("CR")},
        ),
    ),
    ("GET", "/v1/admin/analytics/overview"): Judged(
        "operator", lambda w: Call("/v1/admin/analytics/overview"), shows_no_demo_figures
    ),
    ("GET", "/v1/admin/analytics/sales"): Judged(
        "operator", lambda w: Call("/v1/admin/analytics/sales"), shows_no_demo_figures
    ),
    ("GET", "/v1/admin/analytics/retention"): Judged(
        "operator", lambda w: Call("/v1/admin/analytics/retention"), shows_no_demo_figures
    ),
    ("GET", "/v1/admin/analytics/rfm"): Judged(
        "operator", lambda w: Call("/v1/admin/analytics/rfm"), shows_no_demo_figures
    ),
    ("GET", "/v1/admin/analytics/liability"): Judged(
        "operator", lambda w: Call("/v1/admin/analytics/liability"), shows_no_demo_figures
    ),
    ("GET", "/v1/admin/analytics/settings"): Judged(
        "operator", lambda w: Call("/v1/admin/analytics/settings"), answered_ok
    ),
    ("POST", "/v1/carts/evaluate"): Foreign(
        "pos",
        lambda w: Call(
            "/v1/carts/evaluate",
            json={**example_of(CartBody), "member_id": w.member_id, "store_id": "S001"},
        ),
    ),
    ("GET", "/v1/admin/approval-policy"): Judged(
        "operator", lambda w: Call("/v1/admin/approval-policy"), answered_ok
    ),
    ("GET", "/v1/admin/approvals"): Judged(
        "operator",
        lambda w: Call("/v1/admin/approvals", params={"status": "pending"}),
        lists_no_demo_approval,
    ),
    ("GET", "/v1/admin/approvals/{approval_id}"): Foreign(
        "operator", lambda w: Call(f"/v1/admin/approvals/{w.approval_id}")
    ),
    ("POST", "/v1/admin/approvals/{approval_id}/approve"): Foreign(
        "operator", lambda w: Call(f"/v1/admin/approvals/{w.approval_id}/approve")
    ),
    ("POST", "/v1/admin/approvals/{approval_id}/reject"): Foreign(
        "operator", lambda w: Call(f"/v1/admin/approvals/{w.approval_id}/reject")
    ),
    ("GET", "/v1/admin/audit"): Judged(
        "operator",
        lambda w: Call("/v1/admin/audit", params={"resource": f"key:{w.key_id}"}),
        shows_no_demo_audit_entry,
    ),
    ("GET", "/v1/admin/audit/export"): Judged(
        "operator",
        lambda w: Call("/v1/admin/audit/export", params={"resource": w.key_id}),
        exports_no_demo_audit_entry,
    ),
}

# Writes of the caller's own settings: the demo tenant's must read the same afterwards.
OWN_SETTINGS = {
    ("PUT", "/v1/admin/member-attributes"): "/v1/admin/member-attributes",
    ("PUT", "/v1/admin/tier-program"): "/v1/admin/tier-program",
    ("PUT", "/v1/admin/points/settings"): "/v1/admin/points/settings",
    ("PUT", "/v1/admin/branding"): "/v1/admin/branding",
    ("PUT", "/v1/admin/analytics/settings"): "/v1/admin/analytics/settings",
    ("PUT", "/v1/admin/approval-policy"): "/v1/admin/approval-policy",
}
