"""Balances and the earning rule."""

from __future__ import annotations

from libs.errors import NotFound
from services.points.domain.balances import Balance
from services.points.domain.earning import EarningRule, validate_rule
from services.points.domain.ports import Repositories, UnitOfWork


async def get_balance(tenant_id: str, member_id: str, uow: UnitOfWork) -> Balance:
    """A member with no ledger yet has an empty balance."""

    async def work(repos: Repositories) -> Balance:
        return await repos.balances.get_balance(tenant_id, member_id) or Balance()

    return await uow.read(work)


async def put_earning_rule(tenant_id: str, rule: EarningRule, uow: UnitOfWork) -> EarningRule:
    valid = validate_rule(rule)
    return await uow.transaction(lambda repos: repos.rules.put_rule(tenant_id, valid))


async def get_earning_rule(tenant_id: str, uow: UnitOfWork) -> EarningRule:
    async def work(repos: Repositories) -> EarningRule:
        rule = await repos.rules.get_rule(tenant_id)
        if rule is None:
            raise NotFound("no earning rule is set for this tenant", code="earning_rule_not_found")
        return rule

    return await uow.read(work)
