"""A new tenant's settings at the member and points services, and its starter programme:
what the seed gives its demo tenants and the platform API a tenant it creates (three
tiers by points earned over a year; a point per unit of the base currency, kept two years).
The tenant's operators change the programme afterwards (`PUT /v1/admin/tier-program`,
`PUT /v1/admin/points/settings`)."""

from __future__ import annotations

from gateway.tenancy.tenants import Tenant
from loyalty.member.v1 import member_pb2
from loyalty.points.v1 import points_pb2

# What one member may give others in a day.
TRANSFER_LIMIT_PER_DAY = 5000


def tenant_settings(tenant: Tenant) -> member_pb2.PutTenantSettingsRequest:
    return member_pb2.PutTenantSettingsRequest(
        tenant_id=tenant.tenant_id,
        settings=member_pb2.TenantSettings(
            default_region=tenant.default_region, time_zone=tenant.time_zone
        ),
    )


def tier_program(tenant: Tenant) -> member_pb2.PutTierProgramRequest:
    return member_pb2.PutTierProgramRequest(
        tenant_id=tenant.tenant_id,
        program=member_pb2.TierProgram(
            tiers=[
                member_pb2.Tier(code="member", name="Member", threshold=0, multiplier="1"),
                member_pb2.Tier(code="silver", name="Silver", threshold=1000, multiplier="1.25"),
                member_pb2.Tier(code="gold", name="Gold", threshold=5000, multiplier="1.5"),
            ],
            qualifying_metric="points_earned",
            window_days=365,
            downgrade_grace_days=30,
        ),
    )


def earning_rule(tenant: Tenant) -> points_pb2.PutEarningRuleRequest:
    return points_pb2.PutEarningRuleRequest(
        tenant_id=tenant.tenant_id,
        rule=points_pb2.EarningRule(
            currency=tenant.currency,
            points_per_unit="1",
            rounding="floor",
            expiry_months=24,
            pending_days=0,
            transfer_limit_per_day=TRANSFER_LIMIT_PER_DAY,
            time_zone=tenant.time_zone,
        ),
    )
