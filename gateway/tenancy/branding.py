"""A tenant's branding: the name, colour and logo its member-facing pages show.

Kept on the tenant's document under `branding` (`{"display_name", "colour", "logo"}`, each
optional), so the tenant administration to come can add fields beside them. The logo is a
small PNG or SVG as a `data:` URL (at most `MAX_LOGO_CHARS`), shown by an `<img>`, where
an SVG's scripts never run. Reads are public (the member centre shows them before anyone
signs in) and cached briefly, like the tenant's policies.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from pymongo.asynchronous.collection import AsyncCollection

from gateway.tenancy.timed_cache import TimedCache
from libs.mongo import Doc

COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"
LOGO_PATTERN = r"^data:image/(png|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$"
MAX_LOGO_CHARS = 32_768
MAX_NAME_CHARS = 80


@dataclass(frozen=True)
class Branding:
    display_name: str | None = None
    colour: str | None = None
    logo: str | None = None


@dataclass(frozen=True)
class TenantLook:
    """What a member-facing page shows of a tenant: its name and its branding."""

    tenant_id: str
    name: str
    branding: Branding


def branding_from_doc(doc: Doc) -> Branding:
    raw = doc.get("branding") or {}
    return Branding(
        display_name=raw.get("display_name"), colour=raw.get("colour"), logo=raw.get("logo")
    )


class TenantBranding:
    def __init__(
        self,
        collection: AsyncCollection[Doc],
        *,
        cache_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        cache_limit: int = 10_000,
    ) -> None:
        self._tenants = collection
        self._cache: TimedCache[str, TenantLook | None] = TimedCache(
            cache_seconds, clock=clock, limit=cache_limit
        )

    async def look(self, tenant_id: str) -> TenantLook | None:
        """The tenant's name and branding; None for a tenant without a document."""

        async def read() -> TenantLook | None:
            doc = await self._tenants.find_one({"_id": tenant_id}, {"name": 1, "branding": 1})
            if doc is None:
                return None
            return TenantLook(tenant_id, doc.get("name") or tenant_id, branding_from_doc(doc))

        return await self._cache.through(tenant_id, read)

    async def put(self, tenant_id: str, branding: Branding) -> None:
        """Replace the tenant's branding (every field; None leaves one unset)."""
        fields = {
            "display_name": branding.display_name,
            "colour": branding.colour,
            "logo": branding.logo,
        }
        value = {name: given for name, given in fields.items() if given is not None}
        await self._tenants.update_one(
            {"_id": tenant_id}, {"$set": {"branding": value}}, upsert=True
        )
        self._cache.forget(tenant_id)
