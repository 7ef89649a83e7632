"""Who may read and set the tenant's exchange rates (`python -m gateway.matrix` prints every
slice's rows as the table in docs/permissions.md). Setting a rate changes what every order
in that currency earns: the admin's, as the points settings are; every operator may read
them (marketers write spend conditions in the base currency, analysts and auditors check
reports against them)."""

from __future__ import annotations

from gateway.access.permissions import ADMIN, Rule, allow
from gateway.tenancy.keys import ROLES

RATES_PATH = "/v1/admin/exchange-rates"

RULES: dict[tuple[str, str], Rule] = {
    ("GET", RATES_PATH): allow(*ROLES, scope=ADMIN),
    ("PUT", f"{RATES_PATH}/{{currency}}"): allow("admin", scope=ADMIN),
    ("POST", f"{RATES_PATH}/import"): allow("admin", scope=ADMIN),
}
