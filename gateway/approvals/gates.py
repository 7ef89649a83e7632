"""Which routes a tenant's approval policy may hold, and why each would be held."""

from __future__ import annotations

import json
from typing import Any, cast

from gateway.access.approvals.hold import Gates, Held
from gateway.access.approvals.policy import (
    ApprovalPolicy,
    activation_needs_approval,
    adjustment_needs_approval,
)
from gateway.container import Container
from loyalty.campaign.v1 import campaign_admin_pb2


def _json(held: Held) -> Any:
    try:
        return json.loads(held.body) if held.body else None
    except ValueError:
        return None  # the route answers 422 itself; nothing to approve


async def adjustment(_: Any, policy: ApprovalPolicy, held: Held) -> str | None:
    body = _json(held)
    points = body.get("points") if isinstance(body, dict) else None
    if adjustment_needs_approval(policy, points):
        return f"an adjustment of more than {policy.adjustment_points_above} points"
    return None


async def bulk_adjustment(_: Any, policy: ApprovalPolicy, held: Held) -> str | None:
    return "a bulk adjustment file" if policy.bulk_adjustments and held.body else None


async def merge(_: Any, policy: ApprovalPolicy, held: Held) -> str | None:
    return "a merge of two members" if policy.merges else None


async def erasure(_: Any, policy: ApprovalPolicy, held: Held) -> str | None:
    return "an erasure of a member's personal data" if policy.erasures else None


async def activation(app_state: Any, policy: ApprovalPolicy, held: Held) -> str | None:
    if policy.campaign_budget_above is None:
        return None
    container = cast(Container, app_state.container)
    rpc = campaign_admin_pb2.GetCampaignRequest(
        tenant_id=held.tenant_id, campaign_id=str(held.path_params.get("campaign_id", ""))
    )
    try:
        reply = await container.campaign.GetCampaign(rpc)
    except Exception:  # not found or unreachable: the route answers for itself
        return None
    definition = reply.campaign.definition
    budget = definition.budget_points if definition.HasField("budget_points") else None
    if activation_needs_approval(policy, budget):
        return f"a campaign activation with a budget above {policy.campaign_budget_above} points"
    return None


async def operator_key(_: Any, policy: ApprovalPolicy, held: Held) -> str | None:
    body = _json(held)
    if policy.operator_keys and isinstance(body, dict) and body.get("channel") == "operator":
        return "a new operator key"
    return None


GATES: Gates = {
    ("POST", "/v1/admin/members/{member_id}/points/adjustments"): adjustment,
    ("POST", "/v1/admin/points/adjustments/bulk"): bulk_adjustment,
    ("POST", "/v1/members/merge"): merge,
    ("POST", "/v1/members/{member_id}/erase"): erasure,
    ("POST", "/v1/admin/campaigns/{campaign_id}/activate"): activation,
    ("POST", "/v1/admin/keys"): operator_key,
}
