"""`python -m gateway.admin platform ...` and `tenants suspend|resume`: the platform's own
administrators (credentials above tenants, for the platform API) and suspension."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from gateway.container import Stores
from gateway.settings import GatewaySettings
from gateway.tenancy.platform_admins import PlatformAdmin
from gateway.tenancy.suspension import TenantSuspensions
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
