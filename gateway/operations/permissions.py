"""Who may keep records of long operations: every operator role, each its own records
(the routes read and change the caller's only). The vocabulary is in
`gateway.access.permissions`."""

from __future__ import annotations

from gateway.access.permissions import ADMIN, Rule, allow
from gateway.tenancy.keys import ROLES

_O = "/v1/admin/operations"

RULES: dict[tuple[str, str], Rule] = {
    ("POST", _O): allow(*ROLES, scope=ADMIN),
    ("GET", _O): allow(*ROLES, scope=ADMIN),
    ("GET", f"{_O}/{{operation_id}}"): allow(*ROLES, scope=ADMIN),
    ("PUT", f"{_O}/{{operation_id}}"): allow(*ROLES, scope=ADMIN),
}
