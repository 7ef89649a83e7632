"""What the platform API answers about tenants."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from gateway.edge.fields import Timestamp
from gateway.edge.limits.policy import RateLimits, TenantPolicy
from gateway.tenancy.branding import Branding
from gateway.tenancy.tenants import Tenant, languages_of
from gateway.tenants.answers import BrandingSettingsOut


class StoreOut(BaseModel):
    store_id: str
    time_zone: str = Field(description="The store's own, else the tenant's")


class PointValueOut(BaseModel):
    amount: str
    currency: str


class BucketOut(BaseModel):
    per_second: float
    burst: int


class RateLimitsOut(BaseModel):
    per_key: BucketOut
    per_tenant: BucketOut

    @classmethod
    def of(cls, limits: RateLimits) -> RateLimitsOut:
        return cls(
            per_key=BucketOut(per_second=limits.per_key.per_second, burst=limits.per_key.burst),
            per_tenant=BucketOut(
                per_second=limits.per_tenant.per_second, burst=limits.per_tenant.burst
            ),
        )


Status = Literal["active", "suspended"]


def status_of(tenant: Tenant) -> Status:
    return "suspended" if tenant.suspended_at is not None else "active"


class TenantSummaryOut(BaseModel):
    tenant_id: str
    name: str
    status: Status
    currency: str
    created_at: Timestamp | None


class TenantListOut(BaseModel):
    tenants: list[TenantSummaryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page")


class TenantOut(BaseModel):
    """A tenant as the platform administrator configures it."""

    tenant_id: str
    name: str
    status: Status
    suspended_at: Timestamp | None
    created_at: Timestamp | None
    stores: list[StoreOut]
    default_region: str
    time_zone: str
    currency: str
    languages: list[str] = Field(description="The default first")
    branding: BrandingSettingsOut
    point_value: PointValueOut | None = Field(
        description="As the platform last set it (the tenant's admins may change the "
        "analytics' own later: `PUT /v1/admin/analytics/settings`)"
    )
    rate_limits: RateLimitsOut = Field(description="As in force: the platform's defaults if unset")
    web_origins: list[str]

    @classmethod
    def of(cls, tenant: Tenant, policy: TenantPolicy, branding: Branding) -> TenantOut:
        value = tenant.point_value
        return cls(
            tenant_id=tenant.tenant_id,
            name=tenant.name,
            status=status_of(tenant),
            suspended_at=tenant.suspended_at,
            created_at=tenant.created_at,
            stores=[
                StoreOut(store_id=s, time_zone=tenant.store_time_zone(s)) for s in tenant.stores
            ],
            default_region=tenant.default_region,
            time_zone=tenant.time_zone,
            currency=tenant.currency,
            languages=list(languages_of(tenant)),
            branding=BrandingSettingsOut(
                tenant_id=tenant.tenant_id,
                display_name=branding.display_name,
                colour=branding.colour,
                logo=branding.logo,
            ),
            point_value=None
            if value is None
            else PointValueOut(amount=value.amount, currency=value.currency),
            rate_limits=RateLimitsOut.of(policy.rate_limits),
            web_origins=sorted(policy.cors_origins),
        )


class SuspensionOut(BaseModel):
    tenant_id: str
    status: Status
    suspended_at: datetime | None


class FirstAdminOut(BaseModel):
    operator_id: str
    tenant_id: str
    email: str
    role: str
    password: str | None = Field(
        description="The one-time password made for them, shown this once; null when given"
    )
