"""Who may open and end member sessions and read the development sender's messages: one row
per route (the vocabulary is in `gateway.access.permissions`; `python -m gateway.matrix`
prints every slice's rows as the table in docs/permissions.md)."""

from __future__ import annotations

from gateway.access.permissions import (
    ADMIN,
    ANY_SCOPE,
    MEMBER,
    MEMBER_PATH,
    PUBLIC,
    SELF_SERVICE,
    Rule,
    allow,
)

RULES: dict[tuple[str, str], Rule] = {
    # the brand's backends, with their channel keys (server-side secrets); a token acts for
    # the member, changes included, so minting one takes the write scope
    ("POST", f"{MEMBER_PATH}/sessions"): allow(*SELF_SERVICE, "ecommerce", scope="members:write"),
    ("POST", f"{MEMBER_PATH}/session-handoffs"): allow(
        *SELF_SERVICE, "ecommerce", scope="members:write"
    ),
    # the member centre's page trades a hand-off code for its cookie: the code is the credential
    ("POST", "/v1/member-sessions/handoff"): PUBLIC,
    # who the token or cookie in use acts for
    ("GET", "/v1/member-sessions/current"): allow(MEMBER, scope=ANY_SCOPE),
    # ending the token the caller holds
    ("DELETE", "/v1/member-sessions/current"): allow(MEMBER, scope=ANY_SCOPE),
    # a shopper signing in with a one-time code: no key (the body names the tenant)
    ("POST", "/v1/member-sessions/otp"): PUBLIC,
    ("POST", "/v1/member-sessions"): PUBLIC,
    # the codes the development sender "sent": never other roles, never production
    ("GET", "/v1/admin/member-code-messages"): allow("admin", "support", scope=ADMIN),
}
