"""Who may call health, readiness, metrics and the platform's health: one row per route
(the vocabulary is in `gateway.access.permissions`; `python -m gateway.matrix` prints
every slice's rows as the table in docs/permissions.md)."""

from __future__ import annotations

from gateway.access.permissions import ADMIN, PUBLIC, Rule, allow

RULES: dict[tuple[str, str], Rule] = {
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/readyz"): PUBLIC,
    ("GET", "/metrics"): PUBLIC,
    ("GET", "/v1/admin/platform/health"): allow("admin", "auditor", scope=ADMIN),
}
