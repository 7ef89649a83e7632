"""Members as MongoDB documents, with their personal data sealed.

A member document keeps in clear only what is not personal and what the platform must
query: status, tier, consents (campaigns select on them), enrolment channel, store and
date, and the preferred store. Names, birthday, email, gender, attributes and identity
values live in one `sealed` blob under the member's data key; identities are listed by
type and keyed hash only. An erased member's document has no `sealed` blob at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from bson import Binary

from libs.mongo import Doc
from services.member.adapters.crypto import Vault, member_aad
from services.member.adapters.documents.actors import provenance_from_doc, provenance_to_doc
from services.member.domain.actors import Provenance
from services.member.domain.attributes import AttributeType, AttributeValue, as_text, coerce
from services.member.domain.birthdays import month_day
from services.member.domain.identities import Identity, IdentityType
from services.member.domain.members import Channel, Member, MemberStatus
from services.member.domain.profile import Consent, ConsentPurpose, Profile
from services.member.domain.tiers import ManualTier, TierState

BIRTHDAY_MONTH_DAY = "birthday_md"


@dataclass(frozen=True)
class DataKey:
    """A member's unwrapped data key, for the length of one unit of work."""

    tenant_id: str
    member_id: str
    key: bytes

    @property
    def aad(self) -> bytes:
        return member_aad(self.tenant_id, self.member_id)


def _attribute_type(value: AttributeValue) -> AttributeType:
    if isinstance(value, bool):
        return AttributeType.BOOL
    if isinstance(value, int):
        return AttributeType.INT
    if isinstance(value, date):
        return AttributeType.DATE
    return AttributeType.STRING


def personal_data(member: Member) -> dict[str, Any]:
    profile = member.profile
    return {
        "identities": [[i.type.value, i.value] for i in member.identities],
        "name": profile.name,
        "birthday": profile.birthday.isoformat() if profile.birthday else "",
        "email": profile.email,
        "gender": profile.gender,
        "attributes": {
            k: [_attribute_type(v).value, as_text(v)] for k, v in profile.attributes.items()
        },
    }


def _profile(data: dict[str, Any], preferred_store_id: str) -> Profile:
    return Profile(
        name=data["name"],
        birthday=date.fromisoformat(data["birthday"]) if data["birthday"] else None,
        email=data["email"],
        gender=data["gender"],
        preferred_store_id=preferred_store_id,
        attributes={
            k: coerce(text, AttributeType(kind), k)
            for k, (kind, text) in data["attributes"].items()
        },
    )


def tier_to_doc(tier: TierState | None) -> Doc | None:
    if tier is None:
        return None
    manual = tier.manual
    return {
        "code": tier.code,
        "name": tier.name,
        "since": tier.since,
        "period_ends_at": tier.period_ends_at,
        "manual": None
        if manual is None
        else {
            "code": manual.code,
            "reason": manual.reason,
            "until": manual.until,
            "previous_code": manual.previous_code,
        },
    }


def tier_from_doc(doc: Doc | None) -> TierState | None:
    if doc is None:
        return None
    manual = doc.get("manual")
    return TierState(
        doc["code"],
        doc["name"],
        doc["since"],
        doc.get("period_ends_at"),
        None
        if manual is None
        else ManualTier(manual["code"], manual["reason"], manual["until"], manual["previous_code"]),
    )


def member_to_doc(member: Member, key: DataKey | None, vault: Vault) -> Doc:
    """The document to store; `key` is None only for an erased member."""
    doc: Doc = {
        "_id": member.member_id,
        "tenant_id": member.tenant_id,
        "status": member.status.value,
        "identities": [
            {
                "type": i.type.value,
                "hash": vault.index(member.tenant_id, i.type.value, i.value),
                "provenance": provenance_to_doc(member.provenance.get(i)),
            }
            for i in member.identities
        ],
        "preferred_store_id": member.profile.preferred_store_id,
        "consents": {
            p.value: {
                "granted": c.granted,
                "channel": c.channel,
                "source": c.source,
                "updated_at": c.updated_at,
            }
            for p, c in member.consents.items()
        },
        "tier": tier_to_doc(member.tier),
        "enrolled_at": member.enrolled_at,
        "enrolled_channel": member.enrolled_channel.value,
        "enrolled_store_id": member.enrolled_store_id,
        "merged_into": member.merged_into,
        "version": member.version,
    }
    if key is not None:
        plaintext = json.dumps(personal_data(member), separators=(",", ":")).encode()
        doc["sealed"] = Binary(vault.seal(key.key, plaintext, key.aad))
        if member.profile.birthday is not None:
            # In clear for birthday campaigns' daily query; gone with the erasure.
            doc[BIRTHDAY_MONTH_DAY] = month_day(member.profile.birthday)
    return doc


def member_from_doc(doc: Doc, key: DataKey | None, vault: Vault) -> Member:
    data: dict[str, Any] = {
        "identities": [],
        "name": "",
        "birthday": "",
        "email": "",
        "gender": "",
        "attributes": {},
    }
    if doc.get("sealed") is not None and key is not None:
        data = json.loads(vault.open(key.key, bytes(doc["sealed"]), key.aad))
    identities = [Identity(IdentityType(t), v) for t, v in data["identities"]]
    return Member(
        member_id=doc["_id"],
        tenant_id=doc["tenant_id"],
        status=MemberStatus(doc["status"]),
        identities=identities,
        profile=_profile(data, doc.get("preferred_store_id", "")),
        consents={
            ConsentPurpose(p): Consent(
                ConsentPurpose(p), c["granted"], c["channel"], c["source"], c["updated_at"]
            )
            for p, c in doc["consents"].items()
        },
        tier=tier_from_doc(doc.get("tier")),
        enrolled_at=doc["enrolled_at"],
        enrolled_channel=Channel(doc["enrolled_channel"]),
        enrolled_store_id=doc["enrolled_store_id"],
        merged_into=doc["merged_into"],
        version=doc["version"],
        provenance=_provenance(doc, identities),
    )


def _provenance(doc: Doc, identities: list[Identity]) -> dict[Identity, Provenance]:
    """The clear `identities` list is written in the order of the sealed one."""
    found = {}
    for identity, entry in zip(identities, doc.get("identities", []), strict=False):
        provenance = provenance_from_doc(entry.get("provenance"))
        if provenance is not None:
            found[identity] = provenance
    return found
