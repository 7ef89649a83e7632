"""What an operator may filter members by, checked before any query runs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from libs.errors import InvalidArgument
from services.member.domain.members import Member, MemberStatus, parse_channel
from services.member.domain.profile import ConsentPurpose

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_CURSOR = re.compile(r"^[a-z0-9]{1,64}$")


@dataclass(frozen=True)
class MemberQuery:
    tier: str = ""
    channel: str = ""
    enrolled_from: datetime | None = None
    enrolled_to: datetime | None = None
    preferred_store_id: str = ""
    status: str = ""
    consented_to: str = ""
    cursor: str = ""
    limit: int = DEFAULT_LIMIT


@dataclass(frozen=True)
class MemberPage:
    members: list[Member]
    next_cursor: str = ""


def validate_query(query: MemberQuery) -> MemberQuery:
    if query.channel:
        parse_channel(query.channel)
    if query.status and query.status not in {s.value for s in MemberStatus}:
        allowed = ", ".join(s.value for s in MemberStatus)
        raise InvalidArgument(f"status: must be one of {allowed}")
    if query.consented_to and query.consented_to not in {p.value for p in ConsentPurpose}:
        allowed = ", ".join(p.value for p in ConsentPurpose)
        raise InvalidArgument(f"consented_to: must be one of {allowed}")
    if query.enrolled_from and query.enrolled_to and query.enrolled_from > query.enrolled_to:
        raise InvalidArgument("enrolled_from: must not be after enrolled_to")
    if query.cursor and not _CURSOR.match(query.cursor):
        raise InvalidArgument("cursor: not a cursor this API returned")
    if not 1 <= query.limit <= MAX_LIMIT:
        raise InvalidArgument(f"limit: between 1 and {MAX_LIMIT}")
    return query
