"""Who may call coupon templates, codes and the coupons at the till: one row per route (the
vocabulary is in `gateway.access.permissions`; `python -m gateway.matrix` prints every
slice's rows as the table in docs/permissions.md)."""

from __future__ import annotations

from gateway.access.permissions import (
    ADMIN,
    CAMPAIGN_EDITORS,
    CAMPAIGN_READERS,
    MEMBER_DESK,
    MEMBER_PATH,
    TILL,
    TOUCHPOINTS,
    Rule,
    allow,
)

_CT = "/v1/admin/coupon-templates"

RULES: dict[tuple[str, str], Rule] = {
    ("POST", _CT): allow(*CAMPAIGN_EDITORS, scope=ADMIN),
    ("GET", _CT): allow(*CAMPAIGN_READERS, scope=ADMIN),
    ("GET", f"{_CT}/{{template_id}}"): allow(*CAMPAIGN_READERS, scope=ADMIN),
    ("POST", f"{_CT}/{{template_id}}/pause"): allow(*CAMPAIGN_EDITORS, scope=ADMIN),
    ("POST", f"{_CT}/{{template_id}}/resume"): allow(*CAMPAIGN_EDITORS, scope=ADMIN),
    ("POST", f"{_CT}/{{template_id}}/batches"): allow(*CAMPAIGN_EDITORS, scope=ADMIN),
    # bulk codes are secrets: editors only
    ("GET", "/v1/admin/coupon-batches/{batch_id}/codes"): allow(*CAMPAIGN_EDITORS, scope=ADMIN),
    ("POST", f"{_CT}/{{template_id}}/public-codes"): allow(*CAMPAIGN_EDITORS, scope=ADMIN),
    ("POST", "/v1/admin/members/{member_id}/coupons"): allow(
        *CAMPAIGN_EDITORS, "support", scope=ADMIN
    ),
    ("POST", "/v1/coupons/validate"): allow(*TILL, scope="points:read"),
    ("POST", "/v1/coupons/redeem"): allow(*TILL, scope="points:write"),
    ("GET", f"{MEMBER_PATH}/coupons"): allow(*TOUCHPOINTS, *MEMBER_DESK, scope="points:read"),
}
