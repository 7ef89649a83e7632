"""The permission matrix's vocabulary: principals, rules, and the rows of access's own routes.

Every route of the app (method and path template) has one entry, kept beside the route in
its slice's `permissions.py` and joined into one matrix by `gateway.matrix`. A caller is a
*principal*: a touchpoint key is its channel (`pos`, `ecommerce`, `miniprogram`, `app`);
an operator (signed in, or an operator key) is its role, and an operator key without a
role is `admin`; a member token is `member`, and may call only the rows that name it (its
own member's routes: `gateway.access.member_scope`); a platform administrator is
`platform`, and may call only the platform API's rows (`gateway.access.platform_auth`),
which name nobody else. `admit` checks the entry before
anything else happens (403), and a route with no entry is refused to everyone: the
table-driven test of every route fails first.

`python -m gateway.matrix` prints the matrix as the table in docs/permissions.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gateway.tenancy.keys import ROLES, ApiKey, Channel
from gateway.tenancy.platform_admins import PLATFORM

TOUCHPOINTS: tuple[Channel, ...] = ("pos", "ecommerce", "miniprogram", "app")
MEMBER = "member"  # a member token (gateway.tenancy.member_sessions)
PRINCIPALS: tuple[str, ...] = (*TOUCHPOINTS, *ROLES, MEMBER, PLATFORM)
SELF_SERVICE = ("app", "miniprogram")  # the member's own app and mini-program
MEMBER_DESK = ("admin", "support", "store_manager")  # people serving a member in front of them
TILL = (*TOUCHPOINTS, "admin", "store_manager")  # earning and burning at a sale


@dataclass(frozen=True)
class Rule:
    """Who may call a route; `scope` is what a key must also carry (see `gateway.tenancy.keys`)."""

    allowed: frozenset[str] = frozenset()
    scope: str | None = None
    public: bool = False

    def permits(self, principal: str, scopes: frozenset[str]) -> bool:
        if self.public:
            return True
        return principal in self.allowed and (self.scope is None or self.scope in scopes)


PUBLIC = Rule(public=True)


def allow(*principals: str, scope: str | None) -> Rule:
    """A row: who may call the route and the key scope it needs; every row names its scope
    (`ADMIN` for an operator-only route, `ANY_SCOPE` only where the route concerns the
    caller's own credential)."""
    unknown = set(principals) - set(PRINCIPALS)
    if unknown:
        raise ValueError(f"unknown principals: {sorted(unknown)}")
    return Rule(frozenset(principals), scope)


# The scope of every operator-only route; a touchpoint's routes name what they touch
# (`members:read`, `points:write`, ...). Operators signed in carry every scope.
ADMIN = "admin"
# No scope needed: the route tells or ends the caller's own credential.
ANY_SCOPE = None


MEMBER_PATH = "/v1/members/{member_id}"
CAMPAIGN_EDITORS = ("admin", "marketer")
CAMPAIGN_READERS = ("admin", "marketer", "analyst", "auditor")
Matrix = Mapping[tuple[str, str], "Rule"]
# The rows of access's own routes and of the API's documents.
RULES: dict[tuple[str, str], Rule] = {
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/docs/static/{name}"): PUBLIC,
    ("POST", "/v1/auth/sessions"): PUBLIC,
    ("DELETE", "/v1/auth/sessions/current"): allow(*ROLES, scope=ANY_SCOPE),
    ("GET", "/v1/admin/whoami"): allow(*ROLES, scope=ANY_SCOPE),
    ("POST", "/v1/admin/keys"): allow("admin", scope=ADMIN),
    ("GET", "/v1/admin/keys"): allow("admin", scope=ADMIN),
    ("POST", "/v1/admin/keys/{key_id}/rotate"): allow("admin", scope=ADMIN),
    ("POST", "/v1/admin/keys/{key_id}/revoke"): allow("admin", scope=ADMIN),
    ("GET", "/v1/admin/operators"): allow("admin", scope=ADMIN),
    ("POST", "/v1/admin/operators"): allow("admin", scope=ADMIN),
    ("PUT", "/v1/admin/operators/{operator_id}"): allow("admin", scope=ADMIN),
    ("POST", "/v1/admin/operators/{operator_id}/disable"): allow("admin", scope=ADMIN),
    ("POST", "/v1/admin/operators/{operator_id}/enable"): allow("admin", scope=ADMIN),
    ("POST", "/v1/admin/operators/{operator_id}/sessions/end"): allow("admin", scope=ADMIN),
}


def principal_of(caller: ApiKey) -> str:
    if caller.role == PLATFORM:
        return PLATFORM
    if caller.member_id is not None:
        return MEMBER
    if caller.channel == "operator":
        return caller.role or "admin"
    return caller.channel


def rule_for(matrix: Matrix, method: str, template: str) -> Rule | None:
    """The route's entry; HEAD is answered like GET."""
    return matrix.get(("GET" if method == "HEAD" else method, template))


def markdown_table(matrix: Matrix) -> str:
    """The matrix as a Markdown table: a row per route, a column per principal."""
    header = ["method", "path", "key scope", *PRINCIPALS]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for (method, path), rule in sorted(matrix.items(), key=lambda item: (item[0][1], item[0][0])):
        if rule.public:
            cells = ["public"] * len(PRINCIPALS)
        else:
            cells = ["yes" if p in rule.allowed else "" for p in PRINCIPALS]
        scope = "" if rule.public else f"`{rule.scope}`" if rule.scope else "any"
        lines.append("| " + " | ".join([method, f"`{path}`", scope, *cells]) + " |")
    return "\n".join(lines) + "\n"
