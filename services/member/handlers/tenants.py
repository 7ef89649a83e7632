"""Tenant settings and the tier program, set by the platform's operators."""

from __future__ import annotations

from libs.errors import NotFound
from services.member.domain.ports import Repositories, UnitOfWork
from services.member.domain.tenants import TenantSettings, validate_settings
from services.member.domain.tiers import TierProgram, validate_program


async def put_tenant_settings(
    tenant_id: str, settings: TenantSettings, uow: UnitOfWork
) -> TenantSettings:
    valid = validate_settings(settings)

    async def work(repos: Repositories) -> TenantSettings:
        await repos.tenants.put_settings(tenant_id, valid)
        return valid

    return await uow.transaction(work)


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
