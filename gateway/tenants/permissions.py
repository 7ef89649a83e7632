"""Who may read and set a tenant's branding: one row per route (the vocabulary is in
`gateway.access.permissions`; `python -m gateway.matrix` prints every slice's rows as the
table in docs/permissions.md)."""

from __future__ import annotations

from gateway.access.permissions import ADMIN, PUBLIC, Rule, allow
from gateway.tenancy.keys import ROLES

RULES: dict[tuple[str, str], Rule] = {
    # what every member of the brand sees: the member centre shows it before sign-in
    ("GET", "/v1/tenants/{tenant_id}/branding"): PUBLIC,
    ("GET", "/v1/admin/branding"): allow(*ROLES, scope=ADMIN),
    ("PUT", "/v1/admin/branding"): allow("admin", scope=ADMIN),
}
