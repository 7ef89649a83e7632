"""Each tenant's rate limits, web origins and member sessions, read from its document and cached.

The fields are optional on the tenant document (`rate_limits`, `cors_origins`,
`member_sessions`); a tenant without a document, or without the fields, gets the settings'
defaults, no origins, and member sessions without the legacy key access.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from gateway.edge.limits.policy import Bucket, RateLimits, TenantPolicy, policy_from_doc
from gateway.settings import GatewaySettings
from gateway.tenancy.timed_cache import TimedCache
from libs.logging import get_logger
from libs.mongo import Doc

log = get_logger(__name__)
_POLICY_FIELDS = {"rate_limits": 1, "cors_origins": 1, "member_sessions": 1}


def default_limits(settings: GatewaySettings) -> RateLimits:
    return RateLimits(
        per_key=Bucket(settings.rate_limit_key_per_second, settings.rate_limit_key_burst),
        per_tenant=Bucket(settings.rate_limit_tenant_per_second, settings.rate_limit_tenant_burst),
    )


class TenantPolicies:
    def __init__(
        self,
        collection: AsyncCollection[Doc],
        defaults: RateLimits,
        *,
        cache_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        cache_limit: int = 10_000,
    ) -> None:
        self._tenants = collection
        self._defaults = defaults
        self._policies: TimedCache[str, TenantPolicy] = TimedCache(
            cache_seconds, clock=clock, limit=cache_limit
        )
        self._origins: TimedCache[str, bool] = TimedCache(cache_seconds, clock=clock, limit=1000)

    async def policy(self, tenant_id: str) -> TenantPolicy:
        async def read() -> TenantPolicy:
            doc = await self._tenants.find_one({"_id": tenant_id}, _POLICY_FIELDS)
            return self._parse(tenant_id, doc)

        return await self._policies.through(tenant_id, read)

    @property
    def cached_tenants(self) -> int:
        return len(self._policies)

    async def any_tenant_allows(self, origin: str) -> bool:
        """Whether some tenant lists `origin` (a preflight carries no key to say which)."""

        async def read() -> bool:
            return await self._tenants.find_one({"cors_origins": origin}, {"_id": 1}) is not None

        return await self._origins.through(origin, read)

    async def configure(
        self,
        tenant_id: str,
        *,
        rate_limits: dict[str, Any] | None = None,
        cors_origins: list[str] | None = None,
        member_sessions: dict[str, Any] | None = None,
    ) -> None:
        """Set the given fields on the tenant's document, after validating them (ValueError)."""
        changes: dict[str, Any] = {}
        if member_sessions is not None:
            changes["member_sessions"] = member_sessions
        if rate_limits is not None:
            changes["rate_limits"] = rate_limits
        if cors_origins is not None:
            changes["cors_origins"] = sorted(set(cors_origins))
        policy_from_doc(changes, self._defaults)
        if changes:
            await self._tenants.update_one({"_id": tenant_id}, {"$set": changes}, upsert=True)
        self._policies.forget(tenant_id)
        self._origins.clear()

    def _parse(self, tenant_id: str, doc: Doc | None) -> TenantPolicy:
        try:
            return policy_from_doc(doc, self._defaults)
        except ValueError as exc:
            log.warning("tenant_policy_invalid_using_defaults", tenant_id=tenant_id, error=str(exc))
            return TenantPolicy(rate_limits=self._defaults)
