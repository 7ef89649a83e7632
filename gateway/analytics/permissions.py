"""Who may read the analytics reports: one row per route (the vocabulary is in
`gateway.access.permissions`; `python -m gateway.matrix` prints every slice's rows as the
table in docs/permissions.md). A store manager reads the reports with a store filter, for
their own stores only (the routes narrow every answer to them); the liability is the
tenant's as a whole, read by finance (auditors) beside admins, marketers and analysts."""

from __future__ import annotations

from gateway.access.permissions import ADMIN, Rule, allow

_A = "/v1/admin/analytics"
REPORT_READERS = ("admin", "marketer", "analyst")

RULES: dict[tuple[str, str], Rule] = {
    ("GET", f"{_A}/overview"): allow(*REPORT_READERS, "store_manager", scope=ADMIN),
    ("GET", f"{_A}/sales"): allow(*REPORT_READERS, "store_manager", scope=ADMIN),
    ("GET", f"{_A}/retention"): allow(*REPORT_READERS, scope=ADMIN),
    ("GET", f"{_A}/rfm"): allow(*REPORT_READERS, scope=ADMIN),
    ("GET", f"{_A}/churn"): allow(*REPORT_READERS, scope=ADMIN),
    ("GET", f"{_A}/campaigns"): allow(*REPORT_READERS, scope=ADMIN),
    ("GET", f"{_A}/liability"): allow(*REPORT_READERS, "auditor", scope=ADMIN),
    ("GET", f"{_A}/settings"): allow(*REPORT_READERS, "auditor", scope=ADMIN),
    ("PUT", f"{_A}/settings"): allow("admin", scope=ADMIN),
}
