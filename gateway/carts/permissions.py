"""Who may call the cart preview: one row per route (the vocabulary is in
`gateway.access.permissions`; `python -m gateway.matrix` prints every slice's rows as the
table in docs/permissions.md)."""

from __future__ import annotations

from gateway.access.permissions import TILL, Rule, allow

RULES: dict[tuple[str, str], Rule] = {
    ("POST", "/v1/carts/evaluate"): allow(*TILL, scope="points:read"),
}
