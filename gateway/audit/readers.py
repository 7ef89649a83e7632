"""How the audit trail reads a resource's fields before and after a change.

Each reader asks the resource's owner (a service over gRPC, or the gateway's own stores)
and answers a `Snapshot`: the fields as JSON values, and which of them are personal (their
values never reach the trail, only their names).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message

from gateway.container import Container
from gateway.edge.audit.declared import Reader, Snapshot
from gateway.tenancy.key_admin import KeyAdmin
from loyalty.analytics.v1 import analytics_pb2
from loyalty.campaign.v1 import (
    campaign_admin_pb2,
    campaign_audience_pb2,
    coupons_pb2,
    coupons_pb2_grpc,
)
from loyalty.member.v1 import member_pb2
from loyalty.points.v1 import exchange_rates_pb2, points_pb2

# An operator's reason for a manual tier is free text and may name the person (as the
# points service's adjustment reasons may): named only, like the personal fields.
MEMBER_PERSONAL = frozenset({"identities", "profile", "attributes", "tier.manual.reason"})
OPERATOR_PERSONAL = frozenset({"email"})


def _fields(message: Message) -> dict[str, Any]:
    return MessageToDict(message, preserving_proto_field_name=True)


def _container(app_state: Any) -> Container:
    return cast(Container, app_state.container)


async def tier_program(app_state: Any, tenant_id: str, _: Mapping[str, str]) -> Snapshot:
    rpc = member_pb2.GetTierProgramRequest(tenant_id=tenant_id)
    reply = await _container(app_state).member.GetTierProgram(rpc)
    return Snapshot(_fields(reply.program))


async def attribute_schema(app_state: Any, tenant_id: str, _: Mapping[str, str]) -> Snapshot:
    rpc = member_pb2.GetAttributeSchemaRequest(tenant_id=tenant_id)
    reply = await _container(app_state).member.GetAttributeSchema(rpc)
    return Snapshot(_fields(reply.schema))


async def points_settings(app_state: Any, tenant_id: str, _: Mapping[str, str]) -> Snapshot:
    rpc = points_pb2.GetEarningRuleRequest(tenant_id=tenant_id)
    reply = await _container(app_state).points.GetEarningRule(rpc)
    return Snapshot(_fields(reply.rule))


async def exchange_rates(app_state: Any, tenant_id: str, _: Mapping[str, str]) -> Snapshot:
    """The tenant's rates, each as `<currency> <valid_from>`: the rate."""
    rpc = exchange_rates_pb2.ListExchangeRatesRequest(tenant_id=tenant_id)
    reply = await _container(app_state).points.ListExchangeRates(rpc)
    return Snapshot({f"{r.currency} {r.valid_from.ToJsonString()}": r.rate for r in reply.rates})


async def member(app_state: Any, tenant_id: str, ids: Mapping[str, str]) -> Snapshot | None:
    if "member" not in ids:
        return None
    rpc = member_pb2.GetMemberRequest(tenant_id=tenant_id, member_id=ids["member"])
    reply = await _container(app_state).member.GetMember(rpc)
    fields = _fields(reply.member)
    fields.pop("version", None)
    return Snapshot(fields, MEMBER_PERSONAL)


async def member_balance(app_state: Any, tenant_id: str, ids: Mapping[str, str]) -> Snapshot | None:
    if "member" not in ids:
        return None
    rpc = points_pb2.GetBalanceRequest(tenant_id=tenant_id, member_id=ids["member"])
    reply = await _container(app_state).points.GetBalance(rpc)
    balance = reply.balance
    return Snapshot({"available": balance.available, "held": balance.held})


async def campaign(app_state: Any, tenant_id: str, ids: Mapping[str, str]) -> Snapshot | None:
    if "campaign" not in ids:
        return None
    rpc = campaign_admin_pb2.GetCampaignRequest(tenant_id=tenant_id, campaign_id=ids["campaign"])
    reply = await _container(app_state).campaign.GetCampaign(rpc)
    fields = _fields(reply.campaign)
    fields.pop("results", None)  # counts that move with every order, not the operator's change
    return Snapshot(fields)


async def segment(app_state: Any, tenant_id: str, ids: Mapping[str, str]) -> Snapshot | None:
    if "segment" not in ids:
        return None
    rpc = campaign_audience_pb2.GetSegmentRequest(tenant_id=tenant_id, segment_id=ids["segment"])
    reply = await _container(app_state).campaign.GetSegment(rpc)
    fields = _fields(reply.segment)
    for moving in ("size", "refreshed_at", "members"):
        fields.pop(moving, None)
    return Snapshot(fields)


async def coupon_template(
    app_state: Any, tenant_id: str, ids: Mapping[str, str]
) -> Snapshot | None:
    if "template" not in ids:
        return None
    stub = coupons_pb2_grpc.CouponServiceStub(_container(app_state).channels["campaign"])
    rpc = coupons_pb2.GetCouponTemplateRequest(tenant_id=tenant_id, template_id=ids["template"])
    reply = await stub.GetCouponTemplate(rpc)
    return Snapshot(_fields(reply.template))


async def api_key(app_state: Any, tenant_id: str, ids: Mapping[str, str]) -> Snapshot | None:
    if "key" not in ids:
        return None
    container = _container(app_state)
    key = await KeyAdmin(container.keys, container.db["api_keys"]).get(tenant_id, ids["key"])
    if key is None:
        return None
    return Snapshot(
        {
            "channel": key.channel,
            "store_id": key.store_id,
            "scopes": sorted(key.scopes),
            "role": key.role,
            "rotated_at": key.rotated_at.isoformat() if key.rotated_at else None,
            "revoked": key.revoked_at is not None,
        }
    )


async def operator(app_state: Any, tenant_id: str, ids: Mapping[str, str]) -> Snapshot | None:
    if "operator" not in ids:
        return None
    found = await _container(app_state).operators.get(tenant_id, ids["operator"])
    if found is None:
        return None
    return Snapshot(
        {
            "email": found.email,
            "role": found.role,
            "stores": list(found.stores),
            "disabled": found.disabled_at is not None,
        },
        OPERATOR_PERSONAL,
    )


async def approval_policy(app_state: Any, tenant_id: str, _: Mapping[str, str]) -> Snapshot:
    policy = await _container(app_state).approvals.policy(tenant_id)
    return Snapshot(policy.to_doc())


async def approval(app_state: Any, tenant_id: str, ids: Mapping[str, str]) -> Snapshot | None:
    if "approval" not in ids:
        return None
    found = await _container(app_state).approvals.get(tenant_id, ids["approval"])
    if found is None:
        return None
    return Snapshot({"status": found.status, "result_status": found.result_status})


async def branding(app_state: Any, tenant_id: str, _: Mapping[str, str]) -> Snapshot:
    # read from the collection, not the member centre's cache, so "before" is never stale
    doc = await _container(app_state).db["tenants"].find_one({"_id": tenant_id}, {"branding": 1})
    return Snapshot(dict((doc or {}).get("branding") or {}))


async def analytics_settings(
    app_state: Any, tenant_id: str, _: Mapping[str, str]
) -> Snapshot | None:
    stub = _container(app_state).analytics
    if stub is None:
        return None
    rpc = analytics_pb2.GetAnalyticsSettingsRequest(tenant_id=tenant_id)
    reply = await stub.GetAnalyticsSettings(rpc)
    return Snapshot(_fields(reply.settings))


READERS: dict[str, Reader] = {
    "branding": branding,
    "analytics_settings": analytics_settings,
    "approval": approval,
    "approval_policy": approval_policy,
    "tier_program": tier_program,
    "attribute_schema": attribute_schema,
    "points_settings": points_settings,
    "exchange_rates": exchange_rates,
    "member": member,
    "member_balance": member_balance,
    "campaign": campaign,
    "segment": segment,
    "coupon_template": coupon_template,
    "key": api_key,
    "operator": operator,
}
