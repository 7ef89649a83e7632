"""The enterprise member: one person across every channel."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from libs.errors import InvalidArgument
from services.member.domain.identities import Identity
from services.member.domain.profile import Consent, ConsentPurpose, Profile
from services.member.domain.tiers import TierProgram, TierState


class Channel(StrEnum):
    POS = "pos"
    ECOMMERCE = "ecommerce"
    MINIPROGRAM = "miniprogram"
    APP = "app"
    OPERATOR = "operator"


class MemberStatus(StrEnum):
    ACTIVE = "active"
    MERGED = "merged"
    ERASED = "erased"


@dataclass
class Member:
    member_id: str
    tenant_id: str
    status: MemberStatus
    identities: list[Identity]
    profile: Profile
    consents: dict[ConsentPurpose, Consent]
    tier: TierState | None
    enrolled_at: datetime
    enrolled_channel: Channel
    enrolled_store_id: str = ""
    merged_into: str = ""
    version: int = 1
    # Identities linked by the current command, for the repository to claim.
    new_identities: list[Identity] = field(default_factory=list, repr=False)

    def link(self, identities: list[Identity]) -> None:
        """Add identities this member does not hold yet (the caller checked they are free)."""
        for identity in identities:
            if identity not in self.identities:
                self.identities.append(identity)
                self.new_identities.append(identity)
        if self.new_identities:
            self.version += 1


@dataclass(frozen=True)
class MemberEnrolled:
    """A new member: the event carries no personal data."""

    event_id: str
    tenant_id: str
    member_id: str
    channel: Channel
    store_id: str
    identity_types: tuple[str, ...]
    tier_code: str
    consents: dict[str, bool]
    occurred_at: datetime


def parse_channel(raw: str) -> Channel:
    try:
        return Channel(raw)
    except ValueError:
        allowed = ", ".join(c.value for c in Channel)
        raise InvalidArgument(f"channel: must be one of {allowed}") from None


def enrol(
    *,
    member_id: str,
    tenant_id: str,
    identities: list[Identity],
    profile: Profile,
    consents: dict[ConsentPurpose, Consent],
    channel: Channel,
    store_id: str,
    program: TierProgram | None,
    now: datetime,
) -> Member:
    tier = (
        TierState(program.entry_tier.code, program.entry_tier.name, now)
        if program is not None
        else None
    )
    member = Member(
        member_id=member_id,
        tenant_id=tenant_id,
        status=MemberStatus.ACTIVE,
        identities=[],
        profile=profile,
        consents=consents,
        tier=tier,
        enrolled_at=now,
        enrolled_channel=channel,
        enrolled_store_id=store_id,
        version=0,
    )
    member.link(identities)
    return member


def enrolled_event(member: Member, event_id: str) -> MemberEnrolled:
    return MemberEnrolled(
        event_id=event_id,
        tenant_id=member.tenant_id,
        member_id=member.member_id,
        channel=member.enrolled_channel,
        store_id=member.enrolled_store_id,
        identity_types=tuple(sorted({i.type.value for i in member.identities})),
        tier_code=member.tier.code if member.tier else "",
        consents={p.value: c.granted for p, c in member.consents.items()},
        occurred_at=member.enrolled_at,
    )
