"""Who may manage webhooks: a tenant's administrators only (one row per route; the
vocabulary is in `gateway.access.permissions`)."""

from __future__ import annotations

from gateway.access.permissions import ADMIN, Rule, allow

BASE = "/v1/admin/webhooks"
ONE = BASE + "/{endpoint_id}"
ADMINS = allow("admin", scope=ADMIN)

RULES: dict[tuple[str, str], Rule] = {
    ("POST", BASE): ADMINS,
    ("GET", BASE): ADMINS,
    ("GET", ONE): ADMINS,
    ("PATCH", ONE): ADMINS,
    ("DELETE", ONE): ADMINS,
    ("POST", ONE + "/disable"): ADMINS,
    ("POST", ONE + "/enable"): ADMINS,
    ("POST", ONE + "/rotate"): ADMINS,
    ("GET", ONE + "/deliveries"): ADMINS,
    ("POST", ONE + "/deliveries/{delivery_id}/replay"): ADMINS,
    ("POST", ONE + "/replay"): ADMINS,
}
