"""Who may set the approval policy, read the queue, and approve or reject: one row per
route (the vocabulary is in `gateway.access.permissions`; `python -m gateway.matrix`
prints every slice's rows as the table in docs/permissions.md). Approving also needs
the role that may call the held route itself, and never the maker (`routes.py`)."""

from __future__ import annotations

from gateway.access.permissions import ADMIN, Rule, allow

# The roles whose routes a policy may hold: admins, support, marketers.
CHECKERS = ("admin", "support", "marketer")
APPROVAL = "/v1/admin/approvals/{approval_id}"

RULES: dict[tuple[str, str], Rule] = {
    ("GET", "/v1/admin/approval-policy"): allow("admin", "auditor", scope=ADMIN),
    ("PUT", "/v1/admin/approval-policy"): allow("admin", scope=ADMIN),
    ("GET", "/v1/admin/approvals"): allow(*CHECKERS, "auditor", scope=ADMIN),
    ("GET", APPROVAL): allow(*CHECKERS, "auditor", scope=ADMIN),
    ("POST", f"{APPROVAL}/approve"): allow(*CHECKERS, scope=ADMIN),
    ("POST", f"{APPROVAL}/reject"): allow(*CHECKERS, scope=ADMIN),
}
