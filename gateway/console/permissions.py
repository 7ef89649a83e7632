"""Who may call the operator console's page and files: one row per route (the vocabulary is
in `gateway.access.permissions`; `python -m gateway.matrix` prints every slice's rows as
the table in docs/permissions.md)."""

from __future__ import annotations

from gateway.access.permissions import PUBLIC, Rule

RULES: dict[tuple[str, str], Rule] = {
    ("GET", "/console"): PUBLIC,
    ("GET", "/console/static/{name}"): PUBLIC,
    ("GET", "/till"): PUBLIC,  # the virtual till's page: it holds no data either
    ("GET", "/m"): PUBLIC,  # the member centre's page: nor does it
}
