"""Tenants: the brands using the platform, their stores and their locale.

A tenant's document (`tenants`, its id the document id) holds its record (below), its
policies (`rate_limits`, `cors_origins`, `member_sessions`: `gateway.tenancy.policies`),
its `branding` (`gateway.tenancy.branding`) and, once suspended, `suspended_at`
(`gateway.tenancy.suspension`). `stores` stays a list of store ids, as every reader of it
expects; a store's own time zone, where it has one, is in `store_time_zones`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from libs.languages import PLATFORM_LANGUAGES
from libs.mongo import Doc

RECORD_FIELDS = {"name", "default_region", "time_zone", "currency"}
DEFAULT_LANGUAGES = ("en", "zh-CN")


class TenantExists(Exception):
    """A tenant with that id is already on the platform."""


@dataclass(frozen=True)
class PointValue:
    """What one point is worth: `amount` (a decimal string) of `currency`."""

    amount: str
    currency: str


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
    # A store's own time zone, where it differs from or is set beside the tenant's.
    store_time_zones: Mapping[str, str] = field(default_factory=dict)
    point_value: PointValue | None = None
    # When it was created and suspended: its state, not its record (a record compares
    # equal whatever they are).
    created_at: datetime | None = field(default=None, compare=False)
    suspended_at: datetime | None = field(default=None, compare=False)

    def store_time_zone(self, store_id: str) -> str:
        return self.store_time_zones.get(store_id, self.time_zone)


def record_fields(tenant: Tenant) -> dict[str, Any]:
    """The record as stored (every field but the id and the dates)."""
    fields: dict[str, Any] = {
        "name": tenant.name,
        "stores": list(tenant.stores),
        "default_region": tenant.default_region,
        "time_zone": tenant.time_zone,
        "currency": tenant.currency,
        "store_time_zones": dict(tenant.store_time_zones),
    }
    if tenant.languages:
        fields["languages"] = list(tenant.languages)
    if tenant.point_value is not None:
        fields["point_value"] = {
            "amount": tenant.point_value.amount,
            "currency": tenant.point_value.currency,
        }
    return fields


def tenant_from_doc(doc: Doc) -> Tenant:
    value = doc.get("point_value")
    return Tenant(
        tenant_id=doc["_id"],
        name=doc["name"],
        stores=tuple(doc.get("stores", ())),
        default_region=doc["default_region"],
        time_zone=doc["time_zone"],
        currency=doc["currency"],
        languages=tuple(doc.get("languages") or ()),
        store_time_zones=dict(doc.get("store_time_zones") or {}),
        point_value=PointValue(value["amount"], value["currency"]) if value else None,
        created_at=doc.get("created_at"),
        suspended_at=doc.get("suspended_at"),
    )


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
        await self._tenants.update_one(
            {"_id": tenant.tenant_id},
            {"$set": record_fields(tenant), "$setOnInsert": {"created_at": datetime.now(UTC)}},
            upsert=True,
        )

    async def claim(self, tenant: Tenant) -> Tenant:
        """Create the tenant's document, marked `provisioning` until `provisioned`; a tenant
        still provisioning (an earlier attempt that failed half way) is claimed again with
        the record given. TenantExists when a provisioned tenant has the id."""
        doc = {
            "_id": tenant.tenant_id,
            **record_fields(tenant),
            "created_at": datetime.now(UTC),
            "provisioning": True,
        }
        try:
            await self._tenants.insert_one(doc)
        except DuplicateKeyError:
            claimed = await self._tenants.find_one_and_update(
                {"_id": tenant.tenant_id, "provisioning": True},
                {"$set": record_fields(tenant)},
            )
            if claimed is None:
                raise TenantExists(f"tenant {tenant.tenant_id} exists already") from None
            doc = {**claimed, **record_fields(tenant)}
        return tenant_from_doc(doc)

    async def provisioned(self, tenant_id: str) -> None:
        await self._tenants.update_one({"_id": tenant_id}, {"$unset": {"provisioning": ""}})

    async def change(self, tenant_id: str, fields: Mapping[str, Any]) -> Tenant | None:
        """Set some of the record's fields; the tenant after, None if it has no record."""
        if fields:
            await self._tenants.update_one(
                {"_id": tenant_id, "name": {"$exists": True}}, {"$set": dict(fields)}
            )
        return await self.get(tenant_id)

    async def exists(self, tenant_id: str) -> bool:
        """Whether the tenant has a document (a record, or policies set by the admin CLI)."""
        return await self._tenants.find_one({"_id": tenant_id}, {"_id": 1}) is not None

    async def get(self, tenant_id: str) -> Tenant | None:
        """The tenant's record; None when there is none, also when its document holds only
        policies (`python -m gateway.admin tenants configure` of a tenant never upserted)."""
        doc = await self._tenants.find_one({"_id": tenant_id})
        if doc is None or not doc.keys() >= RECORD_FIELDS:
            return None
        return tenant_from_doc(doc)

    async def list(self, *, after: str | None = None, limit: int = 100) -> list[Tenant]:
        """Tenants with a record, by id, from after `after`."""
        query: dict[str, Any] = {"name": {"$exists": True}}
        if after:
            query["_id"] = {"$gt": after}
        cursor = self._tenants.find(query).sort("_id", ASCENDING).limit(limit)
        return [tenant_from_doc(doc) async for doc in cursor if doc.keys() >= RECORD_FIELDS]
