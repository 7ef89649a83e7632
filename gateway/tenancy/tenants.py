"""Tenants: the brands using the platform, their stores and their locale."""

from __future__ import annotations

from dataclasses import dataclass

from pymongo.asynchronous.collection import AsyncCollection

from libs.languages import PLATFORM_LANGUAGES
from libs.mongo import Doc

RECORD_FIELDS = {"name", "default_region", "time_zone", "currency"}


@dataclass(frozen=True)
class Tenant:
    tenant_id: str
    name: str
    stores: tuple[str, ...]
    default_region: str
    time_zone: str
    currency: str
    # The languages the tenant writes in, its default first: operators type texts in the
    # default, and translate them into the others. Empty until set (see `languages_of`).
    languages: tuple[str, ...] = ()


def languages_of(tenant: Tenant | None) -> tuple[str, ...]:
    """The tenant's languages, default first; without a setting, by its region: a tenant
    in mainland China writes in Chinese, any other in English (and both are offered)."""
    if tenant is not None and tenant.languages:
        return tenant.languages
    if tenant is not None and tenant.default_region == "CN":
        return ("zh-CN", "en")
    return PLATFORM_LANGUAGES


class TenantStore:
    """The `tenants` collection; the tenant id is the document id."""

    def __init__(self, collection: AsyncCollection[Doc]) -> None:
        self._tenants = collection

    async def upsert(self, tenant: Tenant) -> None:
        """Create or update the tenant; other fields of its document (its rate limits and
        web origins, see `tenant_policies`, and its languages unless given) are left as
        they are."""
        record: Doc = {
            "name": tenant.name,
            "stores": list(tenant.stores),
            "default_region": tenant.default_region,
            "time_zone": tenant.time_zone,
            "currency": tenant.currency,
        }
        if tenant.languages:
            record["languages"] = list(tenant.languages)
        await self._tenants.update_one({"_id": tenant.tenant_id}, {"$set": record}, upsert=True)

    async def exists(self, tenant_id: str) -> bool:
        """Whether the tenant has a document (a record, or policies set by the admin CLI)."""
        return await self._tenants.find_one({"_id": tenant_id}, {"_id": 1}) is not None

    async def get(self, tenant_id: str) -> Tenant | None:
        """The tenant's record; None when there is none, also when its document holds only
        policies (`python -m gateway.admin tenants configure` of a tenant never upserted)."""
        doc = await self._tenants.find_one({"_id": tenant_id})
        if doc is None or not doc.keys() >= RECORD_FIELDS:
            return None
        return Tenant(
            tenant_id=doc["_id"],
            name=doc["name"],
            stores=tuple(doc.get("stores", ())),
            default_region=doc["default_region"],
            time_zone=doc["time_zone"],
            currency=doc["currency"],
            languages=tuple(doc.get("languages") or ()),
        )
