"""Tenant settings, attribute schema and tier program, set by the platform's operators."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from libs.errors import NotFound
from services.member.domain.attributes import AttributeType, parse_schema
from services.member.domain.ports import Repositories, UnitOfWork
from services.member.domain.tenants import TenantSettings, validate_settings
from services.member.domain.tiers import TierProgram, validate_program


async def get_tenant_settings(tenant_id: str, uow: UnitOfWork) -> TenantSettings:
    """The defaults (UTC, no default region) for a tenant that never set any."""

    async def work(repos: Repositories) -> TenantSettings:
        return await repos.tenants.get_settings(tenant_id) or TenantSettings()

    return await uow.read(work)


async def put_tenant_settings(
    tenant_id: str, settings: TenantSettings, uow: UnitOfWork
) -> TenantSettings:
    """Region and time zone; the attribute schema is kept (it has its own call)."""
    valid = validate_settings(settings)

    async def work(repos: Repositories) -> TenantSettings:
        current = await repos.tenants.get_settings(tenant_id) or TenantSettings()
        stored = dataclasses.replace(valid, attributes=current.attributes)
        await repos.tenants.put_settings(tenant_id, stored)
        return stored

    return await uow.transaction(work)


async def put_attribute_schema(
    tenant_id: str, raw: Mapping[str, str], uow: UnitOfWork
) -> dict[str, AttributeType]:
    """Replace the tenant's attribute schema; members keep the values they already have."""
    schema = parse_schema(raw)

    async def work(repos: Repositories) -> dict[str, AttributeType]:
        current = await repos.tenants.get_settings(tenant_id) or TenantSettings()
        await repos.tenants.put_settings(tenant_id, dataclasses.replace(current, attributes=schema))
        return schema

    return await uow.transaction(work)


async def get_attribute_schema(tenant_id: str, uow: UnitOfWork) -> dict[str, AttributeType]:
    async def work(repos: Repositories) -> dict[str, AttributeType]:
        settings = await repos.tenants.get_settings(tenant_id)
        return dict(settings.attributes) if settings else {}

    return await uow.read(work)


async def put_tier_program(tenant_id: str, program: TierProgram, uow: UnitOfWork) -> TierProgram:
    valid = validate_program(program)
    return await uow.transaction(lambda repos: repos.tenants.put_program(tenant_id, valid))


async def get_tier_program(tenant_id: str, uow: UnitOfWork) -> TierProgram:
    async def work(repos: Repositories) -> TierProgram:
        program = await repos.tenants.get_program(tenant_id)
        if program is None:
            raise NotFound("no tier program is set for this tenant", code="tier_program_not_found")
        return program

    return await uow.read(work)
