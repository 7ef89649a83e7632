"""Two members found to be one person become one: the survivor keeps everything.

Pure rules over two `Member`s read in the same unit of work: identities move, consents
merge with the stricter winning, and the survivor's profile gaps are filled.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from libs.errors import FailedPrecondition, InvalidArgument
from services.member.domain.identities import Identity
from services.member.domain.members import Member, MemberStatus
from services.member.domain.profile import PROFILE_FIELDS, Consent, ConsentPurpose, Profile


@dataclass(frozen=True)
class MergeOutcome:
    """What the survivor gained, by name, for the audit trail and consent history."""

    identities: tuple[Identity, ...]
    profile_fields: tuple[str, ...]
    consents: tuple[Consent, ...]


def check_pair(survivor_id: str, merged_id: str) -> None:
    if not survivor_id or not merged_id:
        raise InvalidArgument("survivor_id and merged_id: both are required")
    if survivor_id == merged_id:
        raise InvalidArgument(
            "merged_id: must be another member than survivor_id", code="merge_same_member"
        )


def already_merged(survivor: Member, merged: Member) -> bool:
    """True when this very merge happened before: merging again changes nothing."""
    return merged.status is MemberStatus.MERGED and merged.merged_into == survivor.member_id


def _ensure_mergeable(member: Member) -> None:
    if member.status is MemberStatus.MERGED:
        raise FailedPrecondition(
            f"member {member.member_id} was already merged into {member.merged_into}",
            code="already_merged",
        )
    member.ensure_active()


def stricter_consent(first: Consent | None, second: Consent | None) -> Consent:
    """A refusal beats a grant; between equal answers the most recent change is kept."""
    given = [c for c in (first, second) if c is not None]
    if not given:
        raise ValueError("no consent to choose from")
    granted = all(c.granted for c in given)
    return max((c for c in given if c.granted == granted), key=lambda c: c.updated_at)


def merge_consents(
    survivor: dict[ConsentPurpose, Consent], merged: dict[ConsentPurpose, Consent]
) -> tuple[dict[ConsentPurpose, Consent], list[Consent]]:
    """The survivor's consents after the merge, and those that changed."""
    result = dict(survivor)
    changed = []
    for purpose in sorted(survivor.keys() | merged.keys()):
        winner = stricter_consent(survivor.get(purpose), merged.get(purpose))
        if winner != survivor.get(purpose):
            result[purpose] = winner
            changed.append(winner)
    return result, changed


def fill_profile(survivor: Profile, merged: Profile) -> tuple[Profile, list[str]]:
    """The survivor's profile with its empty fields and missing attributes taken from
    the merged member's; the names of the fields filled."""
    values = {
        name: getattr(merged, name)
        for name in PROFILE_FIELDS
        if not getattr(survivor, name) and getattr(merged, name)
    }
    extra = {k: v for k, v in merged.attributes.items() if k not in survivor.attributes}
    attributes = {**survivor.attributes, **extra}
    filled = dataclasses.replace(survivor, **values, attributes=attributes)
    names = [f"profile.{name}" for name in values]
    names += [f"profile.attributes.{key}" for key in sorted(extra)]
    return filled, names


def merge(survivor: Member, merged: Member) -> MergeOutcome:
    """Fold `merged` into `survivor`; the repository then frees the merged member's
    identities and claims them for the survivor."""
    check_pair(survivor.member_id, merged.member_id)
    if survivor.tenant_id != merged.tenant_id:
        raise InvalidArgument("members of two tenants cannot be merged")
    _ensure_mergeable(survivor)
    _ensure_mergeable(merged)
    moved = tuple(merged.identities)
    merged.released_identities.extend(moved)
    merged.identities = []
    merged.status = MemberStatus.MERGED
    merged.merged_into = survivor.member_id
    merged.version += 1
    survivor.link(list(moved))
    survivor.provenance.update({i: merged.provenance[i] for i in moved if i in merged.provenance})
    merged.provenance = {}
    survivor.profile, fields = fill_profile(survivor.profile, merged.profile)
    survivor.consents, consents = merge_consents(survivor.consents, merged.consents)
    if fields or consents:
        survivor.version += 1
    return MergeOutcome(moved, tuple(fields), tuple(consents))
