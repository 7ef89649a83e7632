"""Who may read and set a tenant's branding, and who may call the platform API: one row per
route (the vocabulary is in `gateway.access.permissions`; `python -m gateway.matrix` prints
every slice's rows as the table in docs/permissions.md)."""

from __future__ import annotations

from gateway.access.permissions import ADMIN, PUBLIC, Rule, allow
from gateway.tenancy.keys import ROLES
from gateway.tenancy.platform_admins import PLATFORM

RULES: dict[tuple[str, str], Rule] = {
    # what every member of the brand sees: the member centre shows it before sign-in
    ("GET", "/v1/tenants/{tenant_id}/branding"): PUBLIC,
    ("GET", "/v1/admin/branding"): allow(*ROLES, scope=ADMIN),
    ("PUT", "/v1/admin/branding"): allow("admin", scope=ADMIN),
}

# The platform API: platform administrators only (a tenant's key or operator: 403).
_PLATFORM = allow(PLATFORM, scope=PLATFORM)
_TENANTS = "/v1/platform/tenants"
RULES |= {
    ("POST", _TENANTS): _PLATFORM,
    ("GET", _TENANTS): _PLATFORM,
    ("GET", f"{_TENANTS}/{{tenant_id}}"): _PLATFORM,
    ("PATCH", f"{_TENANTS}/{{tenant_id}}"): _PLATFORM,
    ("POST", f"{_TENANTS}/{{tenant_id}}/suspend"): _PLATFORM,
    ("POST", f"{_TENANTS}/{{tenant_id}}/resume"): _PLATFORM,
    ("POST", f"{_TENANTS}/{{tenant_id}}/operators"): _PLATFORM,
}
