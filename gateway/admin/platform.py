"""`python -m gateway.admin platform ...` and `tenants create|suspend|resume`: the platform's
own administrators (credentials above tenants, for the platform API), and what the platform
API does to tenants, from a terminal."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from grpc import aio
from pydantic import ValidationError

from gateway.container import Stores, close_container, open_container
from gateway.edge.problems import ApiProblem
from gateway.settings import GatewaySettings
from gateway.tenancy.platform_admins import PlatformAdmin
from gateway.tenancy.suspension import TenantSuspensions
from gateway.tenancy.tenants import languages_of
from gateway.tenants.platform_bodies import NewTenantBody
from gateway.tenants.provisioning import create
from libs.redis import make_redis


class PlatformError(ValueError):
    """The platform command cannot do what was asked."""


def admin_out(admin: PlatformAdmin) -> dict[str, Any]:
    return {
        "admin_id": admin.admin_id,
        "name": admin.name,
        "created_at": admin.created_at.isoformat(),
        "revoked": admin.revoked_at is not None,
    }


async def create_admin(
    args: argparse.Namespace, stores: Stores, _: GatewaySettings, __: TextIO
) -> Any:
    issued = await stores.platform_admins.create(args.name)
    return {**admin_out(issued.admin), "secret": issued.secret}


async def list_admins(
    _: argparse.Namespace, stores: Stores, __: GatewaySettings, ___: TextIO
) -> Any:
    return {"admins": [admin_out(admin) for admin in await stores.platform_admins.list()]}


async def revoke_admin(
    args: argparse.Namespace, stores: Stores, _: GatewaySettings, __: TextIO
) -> Any:
    admin = await stores.platform_admins.revoke(args.admin_id)
    if admin is None:
        raise PlatformError(f"no live platform administrator {args.admin_id}")
    return admin_out(admin)


async def _suspensions(
    args: argparse.Namespace, stores: Stores, settings: GatewaySettings, *, suspend: bool
) -> Any:
    if await stores.tenants.get(args.tenant) is None:
        raise PlatformError(f"no tenant {args.tenant}")
    redis = make_redis(settings.redis_url)
    try:
        suspensions = TenantSuspensions(stores.db["tenants"], redis)
        if suspend:
            since = await suspensions.suspend(args.tenant)
            return {"tenant_id": args.tenant, "status": "suspended", "suspended_at": since}
        await suspensions.resume(args.tenant)
        return {"tenant_id": args.tenant, "status": "active", "suspended_at": None}
    finally:
        await redis.aclose()


async def suspend_tenant(
    args: argparse.Namespace, stores: Stores, settings: GatewaySettings, _: TextIO
) -> Any:
    return await _suspensions(args, stores, settings, suspend=True)


async def resume_tenant(
    args: argparse.Namespace, stores: Stores, settings: GatewaySettings, _: TextIO
) -> Any:
    return await _suspensions(args, stores, settings, suspend=False)


def _store(value: str) -> dict[str, str]:
    store_id, _, zone = value.partition("=")
    return {"store_id": store_id, "time_zone": zone} if zone else {"store_id": store_id}


def _new_tenant_body(args: argparse.Namespace) -> NewTenantBody:
    given: dict[str, Any] = {
        "tenant_id": args.tenant,
        "name": args.name,
        "stores": [_store(value) for value in args.stores or []],
        "default_region": args.region,
        "time_zone": args.time_zone,
        "currency": args.currency,
    }
    if args.languages:
        given["languages"] = args.languages
    if args.point_value:
        given["point_value"] = {"amount": args.point_value, "currency": args.currency}
    try:
        return NewTenantBody.model_validate(given)
    except ValidationError as exc:
        raise PlatformError(str(exc)) from None


async def create_tenant(
    args: argparse.Namespace, _: Stores, settings: GatewaySettings, __: TextIO
) -> Any:
    """What `POST /v1/platform/tenants` does, from a terminal: the gateway's record and the
    services' settings and starter programme (the services must be reachable)."""
    body = _new_tenant_body(args)
    container = await open_container(settings)
    try:
        tenant = await create(container, body)
    except ApiProblem as exc:
        raise PlatformError(exc.detail) from None
    except aio.AioRpcError as exc:
        detail = f"a service could not take the tenant's settings: {exc.details()}"
        raise PlatformError(detail) from None
    finally:
        await close_container(container)
    return {
        "tenant_id": tenant.tenant_id,
        "name": tenant.name,
        "stores": [{"store_id": s, "time_zone": tenant.store_time_zone(s)} for s in tenant.stores],
        "default_region": tenant.default_region,
        "time_zone": tenant.time_zone,
        "currency": tenant.currency,
        "languages": list(languages_of(tenant)),
    }
