"""Who may call orders, returns, redemptions, balances and the operators' points routes: one
row per route (the vocabulary is in `gateway.access.permissions`; `python -m
gateway.matrix` prints every slice's rows as the table in docs/permissions.md)."""

from __future__ import annotations

from gateway.access.permissions import (
    ADMIN,
    MEMBER,
    MEMBER_DESK,
    MEMBER_PATH,
    SELF_SERVICE,
    TILL,
    TOUCHPOINTS,
    Rule,
    allow,
)
from gateway.points.reversal import REVERSAL_PATH
from gateway.tenancy.keys import ROLES

RULES: dict[tuple[str, str], Rule] = {
    ("GET", f"{MEMBER_PATH}/points"): allow(
        *TOUCHPOINTS, *MEMBER_DESK, MEMBER, scope="points:read"
    ),
    ("GET", f"{MEMBER_PATH}/points/ledger"): allow(
        *TOUCHPOINTS, *MEMBER_DESK, MEMBER, scope="points:read"
    ),
    ("POST", f"{MEMBER_PATH}/points/transfers"): allow(*SELF_SERVICE, MEMBER, scope="points:write"),
    ("GET", f"{MEMBER_PATH}/points/expiring"): allow(
        *TOUCHPOINTS, *MEMBER_DESK, MEMBER, scope="points:read"
    ),
    ("POST", "/v1/orders"): allow(*TILL, scope="points:write"),
    ("POST", "/v1/orders/{order_id}/returns"): allow(*TILL, scope="points:write"),
    ("POST", "/v1/redemptions"): allow(*TILL, scope="points:write"),
    ("POST", "/v1/redemptions/{redemption_id}/capture"): allow(*TILL, scope="points:write"),
    ("POST", "/v1/redemptions/{redemption_id}/cancel"): allow(*TILL, scope="points:write"),
    ("POST", "/v1/admin/members/{member_id}/points/adjustments"): allow(
        "admin", "support", scope=ADMIN
    ),
    ("POST", "/v1/admin/points/adjustments/bulk"): allow("admin", scope=ADMIN),
    ("POST", "/v1/admin/points/transfers"): allow("admin", "support", scope=ADMIN),
    ("GET", "/v1/admin/points/settings"): allow(*ROLES, scope=ADMIN),
    ("PUT", "/v1/admin/points/settings"): allow("admin", scope=ADMIN),
    ("POST", "/v1/admin/points/reconciliation"): allow("admin", "auditor", scope=ADMIN),
    ("GET", "/v1/admin/orders/{order_id}"): allow(
        "admin", "support", "store_manager", "auditor", scope=ADMIN
    ),
    # Reversing a captured redemption whatever channel or store captured it; the same roles
    # may do so through the till's cancel route (gateway.points.reversal).
    ("POST", REVERSAL_PATH): allow("admin", "support", "store_manager", scope=ADMIN),
    # Holds name members and stores: the member desk's roles and the auditor, not a store
    # manager (the list is the whole tenant's).
    ("GET", "/v1/admin/members/{member_id}/orders"): allow(
        "admin", "support", "store_manager", "auditor", scope=ADMIN
    ),
    ("GET", "/v1/admin/members/{member_id}/redemptions"): allow(
        "admin", "support", "store_manager", "auditor", scope=ADMIN
    ),
    ("GET", "/v1/admin/holds/expiring"): allow("admin", "support", "auditor", scope=ADMIN),
}
