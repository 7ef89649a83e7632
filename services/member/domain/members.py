"""The enterprise member: one person across every channel."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from libs.errors import FailedPrecondition, InvalidArgument
from services.member.domain.actors import Actor, Provenance
from services.member.domain.errors import IdentityNotHeld
from services.member.domain.identities import Identity
from services.member.domain.profile import Consent, ConsentPurpose, Profile
from services.member.domain.tier_rules import period_end
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
    # Identities linked and unlinked by the current command, for the repository to
    # claim and free.
    new_identities: list[Identity] = field(default_factory=list, repr=False)
    released_identities: list[Identity] = field(default_factory=list, repr=False)
    # Who asserted each identity; identities linked before this was kept have none.
    provenance: dict[Identity, Provenance] = field(default_factory=dict, repr=False)

    @property
    def is_active(self) -> bool:
        return self.status is MemberStatus.ACTIVE

    def ensure_active(self) -> None:
        if not self.is_active:
            raise FailedPrecondition(
                f"member {self.member_id} is {self.status.value}", code="member_not_active"
            )

    def survivor(self) -> str | None:
        """None for an active member; for a merged one, the member it was merged into
        (who holds its wallet and orders now); an erased member acts for nobody."""
        if self.is_active:
            return None
        if self.status is MemberStatus.MERGED and self.merged_into:
            return self.merged_into
        raise FailedPrecondition(
            f"member {self.member_id} is {self.status.value}", code="member_not_active"
        )

    @property
    def birth_month(self) -> int:
        """1-12; 0 when the member gave no birthday."""
        return self.profile.birthday.month if self.profile.birthday else 0

    def link(self, identities: list[Identity], asserted: Provenance | None = None) -> None:
        """Add identities this member does not hold yet (the caller checked they are free),
        each recorded as asserted by `asserted`."""
        for identity in identities:
            if identity not in self.identities:
                self.identities.append(identity)
                self.new_identities.append(identity)
                if asserted is not None:
                    self.provenance[identity] = asserted
        if self.new_identities:
            self.version += 1

    def unlink(self, identity: Identity) -> None:
        """Drop an identity; a member keeps at least one, so they can still be found."""
        if identity not in self.identities:
            raise IdentityNotHeld(identity)
        if len(self.identities) == 1:
            raise FailedPrecondition(
                "a member keeps at least one identity; link another first", code="last_identity"
            )
        self.identities.remove(identity)
        self.provenance.pop(identity, None)
        self.released_identities.append(identity)
        self.version += 1

    def erase(self) -> None:
        """Forget the person: identities freed, profile, consents and the reason of a manual
        tier gone; the tier stays."""
        self.released_identities.extend(self.identities)
        self.identities = []
        self.provenance = {}
        self.new_identities.clear()
        self.profile = Profile()
        self.consents = {}
        if self.tier is not None and self.tier.manual is not None:
            # An operator's reason is free text that may name the member.
            manual = replace(self.tier.manual, reason="")
            self.tier = replace(self.tier, manual=manual)
        self.status = MemberStatus.ERASED
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


@dataclass(frozen=True)
class MemberErased:
    event_id: str
    tenant_id: str
    member_id: str
    occurred_at: datetime


@dataclass(frozen=True)
class MemberTierChanged:
    event_id: str
    tenant_id: str
    member_id: str
    from_tier: str
    to_tier: str
    reason: str
    occurred_at: datetime


@dataclass(frozen=True)
class MemberMerged:
    event_id: str
    tenant_id: str
    survivor_id: str
    merged_id: str
    occurred_at: datetime


@dataclass(frozen=True)
class MemberConsentsChanged:
    """Every purpose as it now stands, after a change."""

    event_id: str
    tenant_id: str
    member_id: str
    consents: dict[str, bool]
    occurred_at: datetime


DomainEvent = (
    MemberEnrolled | MemberErased | MemberTierChanged | MemberMerged | MemberConsentsChanged
)


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
    asserted_by: Actor | None = None,
) -> Member:
    tier = (
        TierState(program.entry_tier.code, program.entry_tier.name, now, period_end(program, now))
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
    member.link(identities, Provenance(asserted_by, now) if asserted_by else None)
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


def consents_changed_event(member: Member, event_id: str, at: datetime) -> MemberConsentsChanged:
    consents = {p.value: c.granted for p, c in member.consents.items()}
    return MemberConsentsChanged(event_id, member.tenant_id, member.member_id, consents, at)
