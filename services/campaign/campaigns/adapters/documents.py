"""A campaign record as a document of the campaigns collection, and back. Money and
factors are stored as decimal strings, never floats."""

from __future__ import annotations

from decimal import Decimal

from libs.languages import Translations
from libs.mongo import Doc, decimal_or_none
from services.campaign.campaigns.domain.campaigns import CampaignStatus, Trigger
from services.campaign.campaigns.domain.definitions import Definition
from services.campaign.campaigns.domain.lifecycle import CampaignRecord
from services.campaign.campaigns.domain.rules import (
    Conditions,
    Effect,
    EffectType,
    HourWindow,
    Limits,
)


def conditions_doc(c: Conditions) -> Doc:
    return {
        "channels": sorted(c.channels),
        "store_ids": sorted(c.store_ids),
        "categories": sorted(c.categories),
        "skus": sorted(c.skus),
        "min_total": None if c.min_total is None else str(c.min_total),
        "tiers": sorted(c.tiers),
        "min_days_since_enrolment": c.min_days_since_enrolment,
        "in_birthday_month": c.in_birthday_month,
        "days_of_week": sorted(c.days_of_week),
        "hours": None if c.hours is None else {"start": c.hours.start, "end": c.hours.end},
        "first_purchase_only": c.first_purchase_only,
        "segment_id": c.segment_id,
        "inactive_days": c.inactive_days,
    }


def conditions_from(doc: Doc | None) -> Conditions:
    doc = doc or {}
    hours = doc.get("hours")
    return Conditions(
        channels=frozenset(doc.get("channels") or ()),
        store_ids=frozenset(doc.get("store_ids") or ()),
        categories=frozenset(doc.get("categories") or ()),
        skus=frozenset(doc.get("skus") or ()),
        min_total=decimal_or_none(doc.get("min_total")),
        tiers=frozenset(doc.get("tiers") or ()),
        min_days_since_enrolment=doc.get("min_days_since_enrolment"),
        in_birthday_month=bool(doc.get("in_birthday_month")),
        days_of_week=frozenset(doc.get("days_of_week") or ()),
        hours=HourWindow(hours["start"], hours["end"]) if hours else None,
        first_purchase_only=bool(doc.get("first_purchase_only")),
        segment_id=doc.get("segment_id") or "",
        inactive_days=doc.get("inactive_days"),
    )


def effect_doc(e: Effect) -> Doc:
    return {
        "type": e.type.value,
        "factor": str(e.factor),
        "points": e.points,
        "template_id": e.template_id,
    }


def effect_from(doc: Doc | None) -> Effect | None:
    if not doc or doc.get("type") not in set(EffectType):
        return None
    points = doc.get("points")
    return Effect(
        EffectType(doc["type"]),
        decimal_or_none(doc.get("factor")) or Decimal(1),
        points if isinstance(points, int) else 0,
        str(doc.get("template_id") or ""),
    )


def limits_from(doc: Doc) -> Limits:
    budget = (doc.get("budget") or {}).get("points")
    per_member = (doc.get("limits") or {}).get("per_member")
    return Limits(budget, per_member)


def record_doc(r: CampaignRecord) -> Doc:
    d = r.definition
    return {
        "_id": r.campaign_id,
        "tenant_id": r.tenant_id,
        "status": r.status.value,
        "version": r.version,
        "name": d.name,
        "trigger": d.trigger.value,
        "starts_at": d.starts_at,
        "ends_at": d.ends_at,
        "conditions": conditions_doc(d.conditions),
        "effect": effect_doc(d.effect),
        "budget": {"points": d.limits.budget_points} if d.limits.budget_points else {},
        "limits": {"per_member": d.limits.per_member} if d.limits.per_member else {},
        "holdout_percent": d.holdout_percent,
        "priority": d.priority,
        "exclusive": d.exclusive,
        "description": d.description,
        "translations": d.translations.by_locale(),
        "created_at": r.created_at,
        "updated_at": r.updated_at,
    }


def definition_from(doc: Doc, effect: Effect) -> Definition:
    return Definition(
        name=doc["name"],
        trigger=Trigger(doc["trigger"]),
        starts_at=doc.get("starts_at"),
        ends_at=doc.get("ends_at"),
        conditions=conditions_from(doc.get("conditions")),
        effect=effect,
        limits=limits_from(doc),
        holdout_percent=int(doc.get("holdout_percent") or 0),
        priority=int(doc.get("priority") or 0),
        exclusive=bool(doc.get("exclusive")),
        description=doc.get("description") or "",
        translations=Translations.of(doc.get("translations") or {}),
    )


def record_from(doc: Doc) -> CampaignRecord | None:
    """None for a document this version cannot run (no effect it knows)."""
    effect = effect_from(doc.get("effect"))
    if effect is None:
        return None
    return CampaignRecord(
        campaign_id=doc["_id"],
        tenant_id=doc["tenant_id"],
        status=CampaignStatus(doc["status"]),
        version=doc["version"],
        definition=definition_from(doc, effect),
        created_at=doc["created_at"],
        updated_at=doc.get("updated_at") or doc["created_at"],
    )
