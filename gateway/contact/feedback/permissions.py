"""Who may give feedback and who handles it (one row per route): a member through their
own session (the app, the mini-program, the member centre); support and admins for the
whole tenant, a store manager for their stores' feedback only."""

from __future__ import annotations

from gateway.access.permissions import (
    ADMIN,
    MEMBER,
    MEMBER_DESK,
    MEMBER_PATH,
    SELF_SERVICE,
    Rule,
    allow,
)

MEMBER_FEEDBACK = f"{MEMBER_PATH}/feedback"
INBOX = "/v1/admin/feedback"
ONE = INBOX + "/{feedback_id}"
HANDLERS = allow(*MEMBER_DESK, scope=ADMIN)

RULES: dict[tuple[str, str], Rule] = {
    ("POST", MEMBER_FEEDBACK): allow(*SELF_SERVICE, MEMBER, scope="members:write"),
    ("GET", MEMBER_FEEDBACK): allow(*SELF_SERVICE, MEMBER, scope="members:read"),
    ("GET", INBOX): HANDLERS,
    ("GET", ONE): HANDLERS,
    ("POST", ONE + "/assign"): HANDLERS,
    ("POST", ONE + "/answer"): HANDLERS,
    ("POST", ONE + "/close"): HANDLERS,
}
