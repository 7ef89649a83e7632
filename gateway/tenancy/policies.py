"""Each tenant's rate limits and allowed web origins, read from its document and cached.

The fields are optional on the tenant document (`rate_limits`, `cors_origins`); a tenant
without a document, or without the fields, gets the settings' defaults and no origins.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from gateway.edge.limits.policy import Bucket, RateLimits, TenantPolicy, policy_from_doc
from gateway.settings import GatewaySettings
from libs.logging import get_logger
from libs.mongo import Doc

log = get_logger(__name__)
_POLICY_FIELDS = {"rate_limits": 1, "cors_origins": 1}


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
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._cache_limit = cache_limit
        self._policies: dict[str, tuple[float, TenantPolicy]] = {}
        self._origins: dict[str, tuple[float, bool]] = {}

    async def policy(self, tenant_id: str) -> TenantPolicy:
        now = self._clock()
        cached = self._policies.get(tenant_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        doc = await self._tenants.find_one({"_id": tenant_id}, _POLICY_FIELDS)
        policy = self._parse(tenant_id, doc)
        if self._cache_seconds > 0:
            self._make_room(now)
            self._policies[tenant_id] = (now + self._cache_seconds, policy)
        return policy

    @property
    def cached_tenants(self) -> int:
        return len(self._policies)

    def _make_room(self, now: float) -> None:
        """Unknown tenants are cached too (their lookup is as dear), so the cache is bounded:
        past the limit expired entries go, and if that is not enough, all of them."""
        if len(self._policies) < self._cache_limit:
            return
        self._policies = {t: entry for t, entry in self._policies.items() if entry[0] > now}
        if len(self._policies) >= self._cache_limit:
            self._policies.clear()

    async def any_tenant_allows(self, origin: str) -> bool:
        """Whether some tenant lists `origin` (a preflight carries no key to say which)."""
        now = self._clock()
        cached = self._origins.get(origin)
        if cached is not None and cached[0] > now:
            return cached[1]
        allowed = await self._tenants.find_one({"cors_origins": origin}, {"_id": 1}) is not None
        if self._cache_seconds > 0:
            if len(self._origins) > 1000:
                self._origins.clear()
            self._origins[origin] = (now + self._cache_seconds, allowed)
        return allowed

    async def configure(
        self,
        tenant_id: str,
        *,
        rate_limits: dict[str, Any] | None = None,
        cors_origins: list[str] | None = None,
    ) -> None:
        """Set either field on the tenant's document, after validating it (ValueError)."""
        changes: dict[str, Any] = {}
        if rate_limits is not None:
            changes["rate_limits"] = rate_limits
        if cors_origins is not None:
            changes["cors_origins"] = sorted(set(cors_origins))
        policy_from_doc(changes, self._defaults)
        if changes:
            await self._tenants.update_one({"_id": tenant_id}, {"$set": changes}, upsert=True)
        self._policies.pop(tenant_id, None)
        self._origins.clear()

    def _parse(self, tenant_id: str, doc: Doc | None) -> TenantPolicy:
        try:
            return policy_from_doc(doc, self._defaults)
        except ValueError as exc:
            log.warning("tenant_policy_invalid_using_defaults", tenant_id=tenant_id, error=str(exc))
            return TenantPolicy(rate_limits=self._defaults)
