"""What `python -m gateway.seed` puts in place: two tenants and their programs."""

from __future__ import annotations

from gateway.tenancy.tenants import Tenant
from loyalty.member.v1 import member_pb2
from loyalty.points.v1 import points_pb2

STORES = ("S001", "S002", "S003")
# What one member may give others in a day.
TRANSFER_LIMIT_PER_DAY = 5000

TENANTS = (
    # The demo texts are typed in English and translated into Chinese.
    Tenant("demo", "Demo Brand", STORES, "CN", "Asia/Shanghai", "CNY", ("en", "zh-CN")),
    Tenant("sandbox", "Sandbox", STORES, "CN", "Asia/Shanghai", "CNY", ("en", "zh-CN")),
)
# (tenant, e-mail, role): each gets a random password, written to the credentials file.
OPERATORS = (("demo", "admin@demo.example", "admin"),)


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
