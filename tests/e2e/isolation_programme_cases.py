"""Tenant-isolation cases of the programme's operator routes: settings, points
operations, campaigns, segments, coupons, analytics, approvals and the audit trail
(see `isolation_cases`)."""

from __future__ import annotations

from gateway.campaigns.audience_bodies import BacktestBody, DryRunBody, SegmentBody
from gateway.carts.bodies import CartBody
from gateway.coupons.bodies import CouponTemplateBody
from gateway.openapi.examples import BODY_EXAMPLES
from tests.e2e.isolation_kinds import (
    Case,
    Foreign,
    Judged,
    M,
    T,
    example_of,
    member,
    shows_no_demo_figures,
    unique,
    until,
)
from tests.e2e.isolation_world import (
    C,
    Call,
    S,
    answered_ok,
    exports_no_demo_audit_entry,
    finds_no_demo_member,
    its_campaign_is_not_the_demos,
    its_segment_is_not_the_demos,
    its_template_is_not_the_demos,
    lists_no_demo_approval,
    lists_no_demo_campaign,
    lists_no_demo_segment,
    lists_no_demo_template,
    rejects_the_demo_member_row,
    shows_no_demo_audit_entry,
)

PROGRAMME_CASES: dict[tuple[str, str], Case] = {
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
            json={"tier": "gold", "reason": "isolation test", "until": until()},
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
    # Platform-wide figures; only the reconciliation in it is the caller's tenant's.
    ("GET", "/v1/admin/platform/health"): Judged(
        "operator", lambda w: Call("/v1/admin/platform/health"), finds_no_demo_member
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
    ("POST", "/v1/admin/analytics/rfm/segments"): Judged(
        "operator",
        lambda w: Call(
            "/v1/admin/analytics/rfm/segments",
            json={"recency": 5, "frequency": 1, "monetary": 3, "window_days": 90},
        ),
        its_segment_is_not_the_demos,
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
    # The demo's one member bought once: no tenant has a member to assess, so both answers
    # are empty and alike; the read is the tenant's as every report's (its service tests).
    ("GET", "/v1/admin/analytics/churn"): Judged(
        "operator", lambda w: Call("/v1/admin/analytics/churn"), answered_ok
    ),
    # Whether the demo's campaigns rewarded anyone in these days depends on its seed, so
    # the answers may be alike (both empty); the read is the tenant's as every report's.
    ("GET", "/v1/admin/analytics/campaigns"): Judged(
        "operator", lambda w: Call("/v1/admin/analytics/campaigns"), answered_ok
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
