"""Who may call the member routes: one row per route (the vocabulary is in
`gateway.access.permissions`; `python -m gateway.matrix` prints every slice's rows as the
table in docs/permissions.md)."""

from __future__ import annotations

from gateway.access.permissions import (
    ADMIN,
    MEMBER,
    MEMBER_DESK,
    MEMBER_PATH,
    SELF_SERVICE,
    TOUCHPOINTS,
    Rule,
    allow,
)
from gateway.tenancy.keys import ROLES

RULES: dict[tuple[str, str], Rule] = {
    ("POST", "/v1/members"): allow(*TOUCHPOINTS, *MEMBER_DESK, scope="members:write"),
    ("GET", "/v1/members/lookup"): allow(*TOUCHPOINTS, *MEMBER_DESK, scope="members:read"),
    ("GET", MEMBER_PATH): allow(*TOUCHPOINTS, *MEMBER_DESK, MEMBER, scope="members:read"),
    ("POST", f"{MEMBER_PATH}/identities"): allow(
        *TOUCHPOINTS, *MEMBER_DESK, MEMBER, scope="members:write"
    ),
    ("DELETE", f"{MEMBER_PATH}/identities/{{type}}/{{value}}"): allow(
        *TOUCHPOINTS, *MEMBER_DESK, MEMBER, scope="members:write"
    ),
    ("PATCH", f"{MEMBER_PATH}/profile"): allow(
        *TOUCHPOINTS, *MEMBER_DESK, MEMBER, scope="members:write"
    ),
    ("PUT", f"{MEMBER_PATH}/consents"): allow(
        *TOUCHPOINTS, *MEMBER_DESK, MEMBER, scope="members:write"
    ),
    ("GET", f"{MEMBER_PATH}/code"): allow(*SELF_SERVICE, MEMBER, scope="members:read"),
    ("POST", f"{MEMBER_PATH}/erase"): allow("admin", "support", scope=ADMIN),
    ("GET", f"{MEMBER_PATH}/export"): allow(
        *SELF_SERVICE, MEMBER, "admin", "support", scope="members:read"
    ),
    ("GET", f"{MEMBER_PATH}/audit"): allow("admin", "support", "auditor", scope=ADMIN),
    ("GET", f"{MEMBER_PATH}/consents/history"): allow(
        "admin", "support", "store_manager", "auditor", scope=ADMIN
    ),
    ("GET", f"{MEMBER_PATH}/tier-progress"): allow(
        *TOUCHPOINTS, *MEMBER_DESK, MEMBER, scope="members:read"
    ),
    ("POST", "/v1/members/merge"): allow("admin", "support", scope=ADMIN),
    # marketer and analyst: without personal data (gateway/members/search_routes.py)
    ("GET", "/v1/admin/members"): allow("admin", "marketer", "support", "analyst", scope=ADMIN),
    ("PUT", "/v1/admin/member-attributes"): allow("admin", scope=ADMIN),
    ("GET", "/v1/admin/member-attributes"): allow(*ROLES, scope=ADMIN),
    ("PUT", "/v1/admin/tier-program"): allow("admin", scope=ADMIN),
    ("GET", "/v1/admin/tier-program"): allow(*ROLES, scope=ADMIN),
    ("PUT", "/v1/admin/members/{member_id}/tier"): allow("admin", "support", scope=ADMIN),
}
