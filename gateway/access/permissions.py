"""The permission matrix: who may call each route, in one place.

Every route of the app (method and path template) has one entry. A caller is a
*principal*: a touchpoint key is its channel (`pos`, `ecommerce`, `miniprogram`, `app`);
an operator (signed in, or an operator key) is its role, and an operator key without a
role is `admin`. `admit` checks the entry before anything else happens (403), and a route
with no entry is refused to everyone: the table-driven test of every route fails first.

`python -m gateway.permissions` prints the matrix as the table in docs/permissions.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.tenancy.keys import ROLES, ApiKey, Channel

TOUCHPOINTS: tuple[Channel, ...] = ("pos", "ecommerce", "miniprogram", "app")
PRINCIPALS: tuple[str, ...] = (*TOUCHPOINTS, *ROLES)
SELF_SERVICE = ("app", "miniprogram")  # the member's own app and mini-program
MEMBER_DESK = ("admin", "support", "store_manager")  # people serving a member in front of them
TILL = (*TOUCHPOINTS, "admin", "store_manager")  # earning and burning at a sale


@dataclass(frozen=True)
class Rule:
    """Who may call a route; `scope` is what a key must also carry (see `gateway.keys`)."""

    allowed: frozenset[str] = frozenset()
    scope: str | None = None
    public: bool = False

    def permits(self, principal: str, scopes: frozenset[str]) -> bool:
        if self.public:
            return True
        return principal in self.allowed and (self.scope is None or self.scope in scopes)


PUBLIC = Rule(public=True)


def allow(*principals: str, scope: str | None = None) -> Rule:
    unknown = set(principals) - set(PRINCIPALS)
    if unknown:
        raise ValueError(f"unknown principals: {sorted(unknown)}")
    return Rule(frozenset(principals), scope)


_M = "/v1/members/{member_id}"
_C = "/v1/admin/campaigns"
CAMPAIGN_EDITORS = ("admin", "marketer")
CAMPAIGN_READERS = ("admin", "marketer", "analyst", "auditor")
_CT = "/v1/admin/coupon-templates"
MATRIX: dict[tuple[str, str], Rule] = {
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("GET", "/redoc"): PUBLIC,
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/readyz"): PUBLIC,
    ("GET", "/metrics"): PUBLIC,
    ("GET", "/console"): PUBLIC,
    ("GET", "/console/static/{name}"): PUBLIC,
    ("POST", "/v1/auth/sessions"): PUBLIC,
    ("DELETE", "/v1/auth/sessions/current"): allow(*ROLES),
    # members
    ("POST", "/v1/members"): allow(*TOUCHPOINTS, *MEMBER_DESK, scope="members:write"),
    ("GET", "/v1/members/lookup"): allow(*TOUCHPOINTS, *MEMBER_DESK, scope="members:read"),
    ("GET", _M): allow(*TOUCHPOINTS, *MEMBER_DESK, scope="members:read"),
    ("POST", f"{_M}/identities"): allow(*TOUCHPOINTS, *MEMBER_DESK, scope="members:write"),
    ("DELETE", f"{_M}/identities/{{type}}/{{value}}"): allow(
        *TOUCHPOINTS, *MEMBER_DESK, scope="members:write"
    ),
    ("PATCH", f"{_M}/profile"): allow(*TOUCHPOINTS, *MEMBER_DESK, scope="members:write"),
    ("PUT", f"{_M}/consents"): allow(*TOUCHPOINTS, *MEMBER_DESK, scope="members:write"),
    ("GET", f"{_M}/code"): allow(*SELF_SERVICE),
    ("POST", f"{_M}/erase"): allow("admin", "support"),
    ("GET", f"{_M}/export"): allow(*SELF_SERVICE, "admin", "support"),
    ("GET", f"{_M}/audit"): allow("admin", "support", "auditor"),
    ("GET", f"{_M}/tier-progress"): allow(*TOUCHPOINTS, *MEMBER_DESK, scope="members:read"),
    ("POST", "/v1/members/merge"): allow("admin", "support"),
    # points
    ("GET", f"{_M}/points"): allow(*TOUCHPOINTS, *MEMBER_DESK, scope="points:read"),
    ("GET", f"{_M}/points/ledger"): allow(*TOUCHPOINTS, *MEMBER_DESK, scope="points:read"),
    ("POST", f"{_M}/points/transfers"): allow(*SELF_SERVICE, scope="points:write"),
    ("GET", f"{_M}/points/expiring"): allow(*TOUCHPOINTS, *MEMBER_DESK, scope="points:read"),
    ("POST", "/v1/orders"): allow(*TILL, scope="points:write"),
    ("POST", "/v1/orders/{order_id}/returns"): allow(*TILL, scope="points:write"),
    ("POST", "/v1/redemptions"): allow(*TILL, scope="points:write"),
    ("POST", "/v1/redemptions/{redemption_id}/capture"): allow(*TILL, scope="points:write"),
    ("POST", "/v1/redemptions/{redemption_id}/cancel"): allow(*TILL, scope="points:write"),
    # operators
    ("GET", "/v1/admin/whoami"): allow(*ROLES),
    ("POST", "/v1/admin/keys"): allow("admin"),
    ("GET", "/v1/admin/keys"): allow("admin"),
    ("POST", "/v1/admin/keys/{key_id}/rotate"): allow("admin"),
    ("POST", "/v1/admin/keys/{key_id}/revoke"): allow("admin"),
    ("GET", "/v1/admin/operators"): allow("admin"),
    ("POST", "/v1/admin/operators"): allow("admin"),
    ("PUT", "/v1/admin/operators/{operator_id}"): allow("admin"),
    # marketer and analyst: without personal data (gateway/members/search_routes.py)
    ("GET", "/v1/admin/members"): allow("admin", "marketer", "support", "analyst"),
    ("PUT", "/v1/admin/member-attributes"): allow("admin"),
    ("GET", "/v1/admin/member-attributes"): allow(*ROLES),
    ("PUT", "/v1/admin/tier-program"): allow("admin"),
    ("GET", "/v1/admin/tier-program"): allow(*ROLES),
    ("PUT", "/v1/admin/members/{member_id}/tier"): allow("admin", "support"),
    # operators: adjustments, transfers, reconciliation of points
    ("POST", "/v1/admin/members/{member_id}/points/adjustments"): allow("admin", "support"),
    ("POST", "/v1/admin/points/adjustments/bulk"): allow("admin"),
    ("POST", "/v1/admin/points/transfers"): allow("admin", "support"),
    ("GET", "/v1/admin/points/settings"): allow(*ROLES),
    ("PUT", "/v1/admin/points/settings"): allow("admin"),
    ("POST", "/v1/admin/points/reconciliation"): allow("admin", "auditor"),
    # operators: campaign editors and readers
    ("POST", _C): allow(*CAMPAIGN_EDITORS),
    ("GET", _C): allow(*CAMPAIGN_READERS),
    ("GET", f"{_C}/{{campaign_id}}"): allow(*CAMPAIGN_READERS),
    ("PUT", f"{_C}/{{campaign_id}}"): allow(*CAMPAIGN_EDITORS),
    ("POST", f"{_C}/{{campaign_id}}/activate"): allow(*CAMPAIGN_EDITORS),
    ("POST", f"{_C}/{{campaign_id}}/pause"): allow(*CAMPAIGN_EDITORS),
    # trying a campaign changes nothing, but shows members' carts and the tenant's history
    ("POST", f"{_C}/{{campaign_id}}/dry-run"): allow(*CAMPAIGN_EDITORS),
    ("POST", f"{_C}/{{campaign_id}}/backtest"): allow(*CAMPAIGN_EDITORS, "analyst"),
    # operators: segments, the audiences of campaigns
    ("POST", "/v1/admin/segments"): allow(*CAMPAIGN_EDITORS),
    ("POST", "/v1/admin/segments/preview"): allow(*CAMPAIGN_EDITORS),
    ("GET", "/v1/admin/segments"): allow(*CAMPAIGN_READERS),
    ("GET", "/v1/admin/segments/{segment_id}"): allow(*CAMPAIGN_READERS),
    ("PUT", "/v1/admin/segments/{segment_id}"): allow(*CAMPAIGN_EDITORS),
    # operators: coupon templates, bulk codes (secrets: editors only), public codes, issuing
    ("POST", _CT): allow(*CAMPAIGN_EDITORS),
    ("GET", _CT): allow(*CAMPAIGN_READERS),
    ("GET", f"{_CT}/{{template_id}}"): allow(*CAMPAIGN_READERS),
    ("POST", f"{_CT}/{{template_id}}/pause"): allow(*CAMPAIGN_EDITORS),
    ("POST", f"{_CT}/{{template_id}}/resume"): allow(*CAMPAIGN_EDITORS),
    ("POST", f"{_CT}/{{template_id}}/batches"): allow(*CAMPAIGN_EDITORS),
    ("GET", "/v1/admin/coupon-batches/{batch_id}/codes"): allow(*CAMPAIGN_EDITORS),
    ("POST", f"{_CT}/{{template_id}}/public-codes"): allow(*CAMPAIGN_EDITORS),
    ("POST", "/v1/admin/members/{member_id}/coupons"): allow(*CAMPAIGN_EDITORS, "support"),
    # coupons at the till and the member's own; a cart preview changes nothing
    ("POST", "/v1/coupons/validate"): allow(*TILL, scope="points:read"),
    ("POST", "/v1/coupons/redeem"): allow(*TILL, scope="points:write"),
    ("GET", f"{_M}/coupons"): allow(*TOUCHPOINTS, *MEMBER_DESK, scope="points:read"),
    ("POST", "/v1/carts/evaluate"): allow(*TILL, scope="points:read"),
}


def principal_of(caller: ApiKey) -> str:
    if caller.channel == "operator":
        return caller.role or "admin"
    return caller.channel


def rule_for(method: str, template: str) -> Rule | None:
    """The route's entry; HEAD is answered like GET."""
    return MATRIX.get(("GET" if method == "HEAD" else method, template))


def markdown_table() -> str:
    """The matrix as a Markdown table: a row per route, a column per principal."""
    header = ["method", "path", "key scope", *PRINCIPALS]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for (method, path), rule in sorted(MATRIX.items(), key=lambda item: (item[0][1], item[0][0])):
        if rule.public:
            cells = ["public"] * len(PRINCIPALS)
        else:
            cells = ["yes" if p in rule.allowed else "" for p in PRINCIPALS]
        scope = f"`{rule.scope}`" if rule.scope else ""
        lines.append("| " + " | ".join([method, f"`{path}`", scope, *cells]) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(markdown_table())
