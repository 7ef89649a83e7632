"""The platform API's bodies: a new tenant, changes to one, its first administrator."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, StrictFloat, StrictInt
from pydantic_core import PydanticCustomError

from gateway.edge.fields import Currency, StoreId, Strict
from gateway.edge.limits.policy import Origin
from gateway.tenants.bodies import EXAMPLE_LOGO, BrandingBody

# A new tenant's id: lower case, starting with a letter or a digit (an id starting with `_`
# is the platform's own, such as the audit trail's `_platform`).
NEW_TENANT_ID = r"^[a-z0-9][a-z0-9_-]{1,63}$"
POINT_VALUE = r"^[0-9]{1,9}(\.[0-9]{1,6})?$"
Language = Literal["en", "zh-CN"]
T = TypeVar("T")


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError(
            "time_zone", "must be an IANA time zone such as Asia/Shanghai"
        ) from None
    return name


def _unique(values: list[T]) -> list[T]:
    if len(set(values)) != len(values):
        raise PydanticCustomError("duplicate", "must not name the same value twice")
    return values


TimeZone = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_zone)]
Region = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2, e.g. CN")]
Languages = Annotated[
    list[Language],
    Field(min_length=1, max_length=10, description="Offered languages, the default first"),
    AfterValidator(_unique),
]
WebOrigins = Annotated[
    list[Origin],
    Field(max_length=50, description="Browser origins allowed to call the API (CORS)"),
    AfterValidator(_unique),
]


class StoreBody(Strict):
    store_id: StoreId
    time_zone: TimeZone | None = Field(
        default=None, description="The store's own time zone; the tenant's when left out"
    )


def _unique_stores(stores: list[StoreBody]) -> list[StoreBody]:
    _unique([store.store_id for store in stores])
    return stores


Stores = Annotated[list[StoreBody], Field(max_length=500), AfterValidator(_unique_stores)]


class BucketBody(Strict):
    per_second: StrictFloat | StrictInt = Field(gt=0, le=100_000)
    burst: StrictInt = Field(ge=1, le=1_000_000)


class RateLimitsBody(Strict):
    per_key: BucketBody | None = Field(default=None, description="Each API key's bucket")
    per_tenant: BucketBody | None = Field(default=None, description="The whole tenant's bucket")


class PointValueBody(Strict):
    amount: Annotated[str, Field(pattern=POINT_VALUE, description="e.g. 0.01, at most 6 places")]
    currency: Currency = Field(description="The tenant's base currency")


class ConfigurableBody(Strict):
    languages: Languages | None = None
    branding: BrandingBody | None = Field(default=None, description="Replaces the branding")
    point_value: PointValueBody | None = Field(
        default=None, description="What one point is worth (the liability report's value)"
    )
    rate_limits: RateLimitsBody | None = Field(
        default=None, description="Each bucket given replaces that bucket"
    )
    web_origins: WebOrigins | None = None


_EXAMPLE: dict[str, Any] = {
    "tenant_id": "acme",
    "name": "Acme Outfitters",
    "stores": [
        {"store_id": "SH01", "time_zone": "Asia/Shanghai"},
        {"store_id": "HK01", "time_zone": "Asia/Hong_Kong"},
    ],
    "default_region": "CN",
    "time_zone": "Asia/Shanghai",
    "currency": "CNY",
    "languages": ["zh-CN", "en"],
    "branding": {"display_name": "Acme", "colour": "#0B6E4F", "logo": EXAMPLE_LOGO},
    "point_value": {"amount": "0.01", "currency": "CNY"},
    "rate_limits": {"per_key": {"per_second": 100, "burst": 200}},
    "web_origins": ["https://shop.acme.example"],
}


class NewTenantBody(ConfigurableBody):
    """`POST /v1/platform/tenants`: the tenant's record; the rest may follow later."""

    model_config = Strict.model_config | {"json_schema_extra": {"examples": [_EXAMPLE]}}

    tenant_id: Annotated[str, Field(pattern=NEW_TENANT_ID, description="Lower case, kept forever")]
    name: Annotated[str, Field(min_length=1, max_length=120)]
    stores: Stores = []
    default_region: Region
    time_zone: TimeZone
    currency: Currency = Field(description="The base currency, kept forever")


class TenantChangesBody(ConfigurableBody):
    """`PATCH /v1/platform/tenants/{tenant_id}`: each field given replaces that setting."""

    model_config = Strict.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "stores": [{"store_id": "SH01"}, {"store_id": "SH02"}],
                    "languages": ["en", "zh-CN"],
                    "web_origins": ["https://shop.acme.example", "https://m.acme.example"],
                }
            ]
        }
    }

    name: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    stores: Stores | None = None
    default_region: Region | None = None
    time_zone: TimeZone | None = None


class FirstAdminBody(Strict):
    """`POST /v1/platform/tenants/{tenant_id}/operators`: an `admin` operator of the tenant."""

    model_config = Strict.model_config | {
        "json_schema_extra": {"examples": [{"email": "it@acme.example"}]}
    }

    email: Annotated[str, Field(min_length=3, max_length=254)]
    password: Annotated[str, Field(min_length=1, max_length=1024)] | None = Field(
        default=None, description="Left out: a one-time password is made and answered once"
    )


BODY_MODELS = (NewTenantBody, TenantChangesBody, FirstAdminBody)
