"""What the member service needs to know about a tenant."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from libs.errors import InvalidArgument
from services.member.domain.attributes import AttributeType

_REGION = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class TenantSettings:
    # Region for phone numbers given without a country code; empty: they must have one.
    default_region: str = ""
    time_zone: str = "UTC"
    # The custom profile attributes members of this tenant may have, with their types.
    attributes: dict[str, AttributeType] = field(default_factory=dict)


def validate_settings(settings: TenantSettings) -> TenantSettings:
    if settings.default_region and not _REGION.match(settings.default_region):
        raise InvalidArgument("default_region: an ISO 3166 alpha-2 code such as CN")
    try:
        ZoneInfo(settings.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidArgument("time_zone: an IANA time zone such as Asia/Shanghai") from None
    return settings
