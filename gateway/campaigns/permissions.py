"""Who may call campaigns and segments: one row per route (the vocabulary is in
`gateway.access.permissions`; `python -m gateway.matrix` prints every slice's rows as the
table in docs/permissions.md)."""

from __future__ import annotations

from gateway.access.permissions import ADMIN, CAMPAIGN_EDITORS, CAMPAIGN_READERS, Rule, allow

_C = "/v1/admin/campaigns"

RULES: dict[tuple[str, str], Rule] = {
    ("POST", _C): allow(*CAMPAIGN_EDITORS, scope=ADMIN),
    ("GET", _C): allow(*CAMPAIGN_READERS, scope=ADMIN),
    ("GET", f"{_C}/{{campaign_id}}"): allow(*CAMPAIGN_READERS, scope=ADMIN),
    ("GET", f"{_C}/{{campaign_id}}/results/daily"): allow(*CAMPAIGN_READERS, scope=ADMIN),
    ("PUT", f"{_C}/{{campaign_id}}"): allow(*CAMPAIGN_EDITORS, scope=ADMIN),
    ("POST", f"{_C}/{{campaign_id}}/activate"): allow(*CAMPAIGN_EDITORS, scope=ADMIN),
    ("POST", f"{_C}/{{campaign_id}}/pause"): allow(*CAMPAIGN_EDITORS, scope=ADMIN),
    # trying a campaign changes nothing, but shows members' carts and the tenant's history
    ("POST", f"{_C}/{{campaign_id}}/dry-run"): allow(*CAMPAIGN_EDITORS, scope=ADMIN),
    ("POST", f"{_C}/{{campaign_id}}/backtest"): allow(*CAMPAIGN_EDITORS, "analyst", scope=ADMIN),
    ("POST", "/v1/admin/segments"): allow(*CAMPAIGN_EDITORS, scope=ADMIN),
    ("POST", "/v1/admin/segments/preview"): allow(*CAMPAIGN_EDITORS, scope=ADMIN),
    ("GET", "/v1/admin/segments"): allow(*CAMPAIGN_READERS, scope=ADMIN),
    ("GET", "/v1/admin/segments/{segment_id}"): allow(*CAMPAIGN_READERS, scope=ADMIN),
    ("PUT", "/v1/admin/segments/{segment_id}"): allow(*CAMPAIGN_EDITORS, scope=ADMIN),
    ("POST", "/v1/admin/analytics/rfm/segments"): allow(*CAMPAIGN_EDITORS, scope=ADMIN),
}
