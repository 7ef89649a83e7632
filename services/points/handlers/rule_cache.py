"""The tenants' earning rules, remembered for a few seconds: a purchase must not read a
rule that changes a few times a year. A rule put through this process is forgotten at
once; one put through another replica is seen within `ttl` seconds."""

from __future__ import annotations

import time
from collections.abc import Callable

from services.points.domain.earning import EarningRule
from services.points.domain.ports import UnitOfWork

RULE_TTL_SECONDS = 5.0


class RuleCache:
    def __init__(
        self, ttl: float = RULE_TTL_SECONDS, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._monotonic = monotonic
        self._rules: dict[str, tuple[float, EarningRule]] = {}

    async def get(self, tenant_id: str, uow: UnitOfWork) -> EarningRule | None:
        """The tenant's rule; a tenant without one is asked again next time."""
        now = self._monotonic()
        known = self._rules.get(tenant_id)
        if known is not None and now < known[0]:
            return known[1]
        rule = await uow.read(lambda repos: repos.rules.get_rule(tenant_id))
        if rule is None:
            self._rules.pop(tenant_id, None)
        else:
            self._rules[tenant_id] = (now + self._ttl, rule)
        return rule

    def forget(self, tenant_id: str) -> None:
        self._rules.pop(tenant_id, None)
