"""Creating and configuring a tenant, for the platform API and the admin CLI alike: its
record claimed, its settings kept beside it, its services given theirs. A refusal is an
`ApiProblem` (422 with the field, 409 `tenant_exists`), which the CLI prints."""

from __future__ import annotations

from typing import Any

from gateway.container import Container
from gateway.edge.problems import ApiProblem, validation_problem
from gateway.tenancy.branding import Branding
from gateway.tenancy.tenants import DEFAULT_LANGUAGES, PointValue, Tenant, TenantExists
from gateway.tenants.platform_bodies import (
    ConfigurableBody,
    NewTenantBody,
    PointValueBody,
    StoreBody,
)
from gateway.tenants.platform_setup import provision


def check_point_value(value: PointValueBody | None, currency: str) -> None:
    if value is not None and value.currency != currency:
        message = f"must be the tenant's base currency, {currency}"
        error = {"loc": ("body", "point_value", "currency"), "msg": message, "code": "not_allowed"}
        raise validation_problem([error])


def _point_value(value: PointValueBody | None) -> PointValue | None:
    return None if value is None else PointValue(value.amount, value.currency)


def store_fields(stores: list[StoreBody]) -> dict[str, Any]:
    return {
        "stores": [store.store_id for store in stores],
        "store_time_zones": {s.store_id: s.time_zone for s in stores if s.time_zone is not None},
    }


async def configure(container: Container, tenant_id: str, body: ConfigurableBody) -> None:
    """The settings kept beside the record: rate limits, web origins, branding."""
    limits = None
    if body.rate_limits is not None:
        doc = await container.db["tenants"].find_one({"_id": tenant_id}, {"rate_limits": 1})
        limits = {
            **(doc or {}).get("rate_limits", {}),
            **body.rate_limits.model_dump(exclude_none=True),
        }
    if limits is not None or body.web_origins is not None:
        try:
            await container.policies.configure(
                tenant_id, rate_limits=limits, cors_origins=body.web_origins
            )
        except ValueError as exc:
            raise validation_problem([{"loc": ("body", "rate_limits"), "msg": str(exc)}]) from None
    if body.branding is not None:
        given = body.branding
        chosen = Branding(display_name=given.display_name, colour=given.colour, logo=given.logo)
        await container.branding.put(tenant_id, chosen)


async def create(container: Container, body: NewTenantBody) -> Tenant:
    """The tenant created (or its creation that failed half way finished)."""
    check_point_value(body.point_value, body.currency)
    stores = store_fields(body.stores)
    tenant = Tenant(
        tenant_id=body.tenant_id,
        name=body.name,
        stores=tuple(stores["stores"]),
        default_region=body.default_region,
        time_zone=body.time_zone,
        currency=body.currency,
        store_time_zones=stores["store_time_zones"],
        point_value=_point_value(body.point_value),
        languages=tuple(body.languages) if body.languages else DEFAULT_LANGUAGES,
    )
    try:
        tenant = await container.tenants.claim(tenant)
    except TenantExists as exc:
        raise ApiProblem(409, "tenant_exists", str(exc)) from None
    await configure(container, tenant.tenant_id, body)
    await provision(container, tenant)
    await container.tenants.provisioned(tenant.tenant_id)
    return tenant
