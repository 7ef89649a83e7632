"""Members as MongoDB documents, and back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from libs.mongo import Doc
from services.member.domain.identities import Identity, IdentityType
from services.member.domain.members import Channel, Member, MemberStatus
from services.member.domain.profile import Consent, ConsentPurpose, Profile
from services.member.domain.tiers import Tier, TierProgram, TierState


def identity_key(tenant_id: str, identity: Identity) -> str:
    return f"{tenant_id}:{identity.type.value}:{identity.value}"


def member_to_doc(member: Member) -> Doc:
    profile = member.profile
    return {
        "_id": member.member_id,
        "tenant_id": member.tenant_id,
        "status": member.status.value,
        "identities": [{"type": i.type.value, "value": i.value} for i in member.identities],
        "profile": {
            "name": profile.name,
            "birthday": profile.birthday.isoformat() if profile.birthday else None,
            "email": profile.email,
            "gender": profile.gender,
            "preferred_store_id": profile.preferred_store_id,
            "attributes": profile.attributes,
        },
        "consents": {
            p.value: {
                "granted": c.granted,
                "channel": c.channel,
                "source": c.source,
                "updated_at": c.updated_at,
            }
            for p, c in member.consents.items()
        },
        "tier": (
            {"code": member.tier.code, "name": member.tier.name, "since": member.tier.since}
            if member.tier
            else None
        ),
        "enrolled_at": member.enrolled_at,
        "enrolled_channel": member.enrolled_channel.value,
        "enrolled_store_id": member.enrolled_store_id,
        "merged_into": member.merged_into,
        "version": member.version,
    }


def member_from_doc(doc: Doc) -> Member:
    profile = doc["profile"]
    tier = doc.get("tier")
    return Member(
        member_id=doc["_id"],
        tenant_id=doc["tenant_id"],
        status=MemberStatus(doc["status"]),
        identities=[Identity(IdentityType(i["type"]), i["value"]) for i in doc["identities"]],
        profile=Profile(
            name=profile["name"],
            birthday=date.fromisoformat(profile["birthday"]) if profile["birthday"] else None,
            email=profile["email"],
            gender=profile["gender"],
            preferred_store_id=profile["preferred_store_id"],
            attributes=dict(profile["attributes"]),
        ),
        consents={
            ConsentPurpose(p): Consent(
                ConsentPurpose(p), c["granted"], c["channel"], c["source"], c["updated_at"]
            )
            for p, c in doc["consents"].items()
        },
        tier=TierState(tier["code"], tier["name"], tier["since"]) if tier else None,
        enrolled_at=doc["enrolled_at"],
        enrolled_channel=Channel(doc["enrolled_channel"]),
        enrolled_store_id=doc["enrolled_store_id"],
        merged_into=doc["merged_into"],
        version=doc["version"],
    )


def program_to_doc(tenant_id: str, program: TierProgram) -> Doc:
    return {
        "_id": tenant_id,
        "tiers": [
            {
                "code": t.code,
                "name": t.name,
                "threshold": t.threshold,
                "multiplier": str(t.multiplier),
            }
            for t in program.tiers
        ],
        "qualifying_metric": program.qualifying_metric,
        "window_days": program.window_days,
        "downgrade_grace_days": program.downgrade_grace_days,
        "version": program.version,
    }


def program_from_doc(doc: Doc) -> TierProgram:
    return TierProgram(
        tiers=tuple(
            Tier(t["code"], t["name"], t["threshold"], Decimal(t["multiplier"]))
            for t in doc["tiers"]
        ),
        qualifying_metric=doc["qualifying_metric"],
        window_days=doc["window_days"],
        downgrade_grace_days=doc["downgrade_grace_days"],
        version=doc["version"],
    )
