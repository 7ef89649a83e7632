"""Who may read the audit trail: one row per route (the vocabulary is in
`gateway.access.permissions`; `python -m gateway.matrix` prints every slice's rows as the
table in docs/permissions.md). No route writes the trail: only the recorder does."""

from __future__ import annotations

from gateway.access.permissions import ADMIN, Rule, allow

AUDIT_READERS = ("admin", "auditor")

RULES: dict[tuple[str, str], Rule] = {
    ("GET", "/v1/admin/audit"): allow(*AUDIT_READERS, scope=ADMIN),
    ("GET", "/v1/admin/audit/export"): allow(*AUDIT_READERS, scope=ADMIN),
}
