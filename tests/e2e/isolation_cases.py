"""For every route of the gateway: how the sandbox tenant's credential tries to reach the
demo tenant's data through it, and what must come back.

`Foreign` names a demo resource (in the path or the body): the answer must be 404
problem+json, never 403 and never data. `Judged` is for routes that name no resource of
another tenant (lists, searches, creations, the caller's own settings): its check proves
the demo tenant's data stays out of the answer, or the answer stays in the caller's tenant.
"""

from __future__ import annotations

from urllib.parse import quote
from uuid import uuid4

from tests.e2e.gateway_support import an_order
from tests.e2e.isolation_contact_cases import CONTACT_CASES
from tests.e2e.isolation_kinds import (
    WH,
    Case,
    Foreign,
    Judged,
    M,
    member,
    unique,
    webhook,
)
from tests.e2e.isolation_platform_cases import PLATFORM_CASES
from tests.e2e.isolation_programme_cases import PROGRAMME_CASES
from tests.e2e.isolation_rate_cases import RATE_CASES
from tests.e2e.isolation_world import (
    Call,
    answered_ok,
    enrols_its_own_member,
    finds_no_demo_member,
    its_operation_is_its_own,
    leaves_the_demo_member_session_alone,
    leaves_the_demo_session_alone,
    lists_no_demo_hold,
    lists_no_demo_key,
    lists_no_demo_operation,
    lists_no_demo_operator,
    lists_no_demo_webhook,
    makes_a_webhook_of_its_own,
    shows_no_demo_code_message,
    stays_in_sandbox,
)

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
    ("GET", "/v1/admin/operations/{operation_id}"): Foreign(
        "operator", lambda w: Call(f"/v1/admin/operations/{w.operation_id}")
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
    **PROGRAMME_CASES,
    **RATE_CASES,
    **PLATFORM_CASES,
    **CONTACT_CASES,
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
