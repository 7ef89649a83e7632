"""Who may reverse any captured redemption of the tenant, whatever channel or store captured
it: the roles the permission matrix lets use the operators' reversal route."""

from __future__ import annotations

from fastapi import Request

from gateway.access.permissions import principal_of, rule_for
from gateway.tenancy.keys import ApiKey

REVERSAL_PATH = "/v1/admin/redemptions/{redemption_id}/reversal"


def may_reverse_any(request: Request, caller: ApiKey) -> bool:
    """An operator whose role has the reversal route's row; never a touchpoint key."""
    if caller.channel != "operator":
        return False
    rule = rule_for(request.app.state.matrix, "POST", REVERSAL_PATH)
    return rule is not None and rule.permits(principal_of(caller), caller.scopes)
