"""A tenant's settings where the services keep them: the member service's region and time
zone, the points service's earning rule, the analytics' point value. Each call is a
`Put`, so a provisioning that failed half way is finished by running it again."""

from __future__ import annotations

from gateway.container import Container
from gateway.shared.starter import earning_rule, tenant_settings, tier_program
from gateway.tenancy.tenants import Tenant
from loyalty.analytics.v1 import analytics_pb2
from loyalty.points.v1 import points_pb2


async def provision(container: Container, tenant: Tenant) -> None:
    """A new tenant's settings and starter programme at every service."""
    await container.member.PutTenantSettings(tenant_settings(tenant))
    await container.member.PutTierProgram(tier_program(tenant))
    await container.points.PutEarningRule(earning_rule(tenant))
    await put_point_value(container, tenant)


async def put_locale(container: Container, tenant: Tenant, *, zone_changed: bool) -> None:
    """The region and time zone after a change: the member service's settings, and the
    time zone the points service's rule reads days in (its other fields kept)."""
    await container.member.PutTenantSettings(tenant_settings(tenant))
    if not zone_changed:
        return
    found = await container.points.GetEarningRule(
        points_pb2.GetEarningRuleRequest(tenant_id=tenant.tenant_id)
    )
    rule = points_pb2.EarningRule()
    rule.CopyFrom(found.rule)
    rule.time_zone = tenant.time_zone
    await container.points.PutEarningRule(
        points_pb2.PutEarningRuleRequest(tenant_id=tenant.tenant_id, rule=rule)
    )


async def put_point_value(container: Container, tenant: Tenant) -> None:
    """The analytics' point value (its liability report), when the tenant has one and the
    platform runs the analytics service."""
    if tenant.point_value is None or container.analytics is None:
        return
    settings = analytics_pb2.AnalyticsSettings(
        point_value=tenant.point_value.amount, currency=tenant.point_value.currency
    )
    await container.analytics.PutAnalyticsSettings(
        analytics_pb2.PutAnalyticsSettingsRequest(tenant_id=tenant.tenant_id, settings=settings)
    )
