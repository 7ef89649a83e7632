"""Who may read a member's timeline and add notes to it: the people serving the member
(a store manager for members of their stores only, gateway.access.store_scope);
marketers and analysts get no timeline, as they get no Member 360 (one row per route)."""

from __future__ import annotations

from gateway.access.permissions import ADMIN, MEMBER_DESK, Rule, allow

MEMBER_TIMELINE = "/v1/admin/members/{member_id}/timeline"
MEMBER_NOTES = "/v1/admin/members/{member_id}/notes"

RULES: dict[tuple[str, str], Rule] = {
    ("GET", MEMBER_TIMELINE): allow(*MEMBER_DESK, scope=ADMIN),
    ("POST", MEMBER_NOTES): allow(*MEMBER_DESK, scope=ADMIN),
}
