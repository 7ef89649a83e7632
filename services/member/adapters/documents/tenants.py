"""Tenant settings and tier programs as MongoDB documents, and back."""

from __future__ import annotations

from decimal import Decimal

from libs.languages import Translations
from libs.mongo import Doc
from services.member.domain.attributes import AttributeType
from services.member.domain.tenants import TenantSettings
from services.member.domain.tiers import DowngradePolicy, Tier, TierProgram


def settings_to_doc(settings: TenantSettings) -> Doc:
    return {
        "default_region": settings.default_region,
        "time_zone": settings.time_zone,
        "attributes": {name: kind.value for name, kind in settings.attributes.items()},
    }


def settings_from_doc(doc: Doc) -> TenantSettings:
    return TenantSettings(
        default_region=doc["default_region"],
        time_zone=doc["time_zone"],
        attributes={k: AttributeType(v) for k, v in doc.get("attributes", {}).items()},
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
                "translations": t.translations.by_locale(),
            }
            for t in program.tiers
        ],
        "qualifying_metric": program.qualifying_metric,
        "window_days": program.window_days,
        "downgrade_grace_days": program.downgrade_grace_days,
        "downgrade_policy": program.downgrade_policy.value,
        "version": program.version,
    }


def program_from_doc(doc: Doc) -> TierProgram:
    return TierProgram(
        tiers=tuple(
            Tier(
                t["code"],
                t["name"],
                t["threshold"],
                Decimal(t["multiplier"]),
                Translations.of(t.get("translations") or {}),
            )
            for t in doc["tiers"]
        ),
        qualifying_metric=doc["qualifying_metric"],
        window_days=doc["window_days"],
        downgrade_grace_days=doc["downgrade_grace_days"],
        version=doc["version"],
        downgrade_policy=DowngradePolicy(doc.get("downgrade_policy", "period_end")),
    )
