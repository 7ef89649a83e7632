"""Campaign bodies to the campaign service's messages, and its answers back to JSON."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from gateway.campaigns.answers import (
    CampaignOut,
    CampaignSummaryOut,
    ConditionsOut,
    EffectOut,
    ResultsOut,
)
from gateway.campaigns.bodies import (
    AudienceBody,
    BonusPointsEffect,
    BudgetBody,
    CampaignBody,
    ConditionsBody,
    CouponEffect,
    HoursBody,
    LimitsBody,
    MultiplierEffect,
)
from gateway.edge.fields import Strict
from gateway.edge.languages import LocalizedOut
from libs.languages import Translations
from libs.languages_wire import fill_translations, translations_from_pb
from libs.timestamps import optional_datetime, optional_timestamp
from loyalty.campaign.v1 import campaign_admin_pb2 as admin_pb
from loyalty.campaign.v1 import campaign_pb2 as pb


def _conditions(c: ConditionsBody, audience: AudienceBody | None) -> admin_pb.CampaignConditions:
    return admin_pb.CampaignConditions(
        channels=c.channels,
        store_ids=c.store_ids,
        categories=c.categories,
        skus=c.skus,
        min_total="" if c.min_total is None else str(c.min_total),
        tiers=c.tiers,
        min_days_since_enrolment=c.min_days_since_enrolment,
        in_birthday_month=c.birthday_month,
        days_of_week=c.days_of_week,
        hours=None
        if c.hours is None
        else admin_pb.HourWindow(start=c.hours.start, end=c.hours.end),
        first_purchase_only=c.first_purchase_only,
        inactive_days=c.inactive_days,
        segment_id="" if audience is None else audience.segment_id,
    )


def _effect(e: MultiplierEffect | BonusPointsEffect | CouponEffect) -> admin_pb.CampaignEffect:
    if isinstance(e, MultiplierEffect):
        return admin_pb.CampaignEffect(type=e.type, factor=str(e.factor))
    if isinstance(e, BonusPointsEffect):
        return admin_pb.CampaignEffect(type=e.type, points=e.points)
    return admin_pb.CampaignEffect(type=e.type, template_id=e.template_id)


def body_translations(texts: Mapping[str, Strict]) -> Translations:
    """A body's `translations` object, each language's fields left out when absent."""
    return Translations.of({locale: t.model_dump(exclude_none=True) for locale, t in texts.items()})


def localized(t: Translations, locale: str, name: str, description: str) -> LocalizedOut:
    return LocalizedOut(
        name=t.text("name", locale, name), description=t.text("description", locale, description)
    )


def definition(body: CampaignBody) -> admin_pb.CampaignDefinition:
    message = _definition(body)
    fill_translations(message.translations, body_translations(body.translations))
    return message


def _definition(body: CampaignBody) -> admin_pb.CampaignDefinition:
    return admin_pb.CampaignDefinition(
        name=body.name,
        trigger=body.trigger,
        starts_at=optional_timestamp(body.starts_at),
        ends_at=optional_timestamp(body.ends_at),
        conditions=_conditions(body.conditions, body.audience),
        effect=_effect(body.effect),
        budget_points=None if body.budget is None else body.budget.points,
        per_member_limit=None if body.limits is None else body.limits.per_member,
        holdout_percent=body.holdout_percent,
        priority=body.priority,
        exclusive=body.exclusive,
        description=body.description,
    )


def _conditions_out(c: admin_pb.CampaignConditions) -> ConditionsOut:
    return ConditionsOut(
        channels=list(c.channels),
        store_ids=list(c.store_ids),
        categories=list(c.categories),
        skus=list(c.skus),
        min_total=c.min_total or None,
        tiers=list(c.tiers),
        min_days_since_enrolment=(
            c.min_days_since_enrolment if c.HasField("min_days_since_enrolment") else None
        ),
        birthday_month=c.in_birthday_month,
        days_of_week=list(c.days_of_week),
        hours=HoursBody(start=c.hours.start, end=c.hours.end) if c.HasField("hours") else None,
        first_purchase_only=c.first_purchase_only,
        inactive_days=c.inactive_days if c.HasField("inactive_days") else None,
    )


def _effect_out(e: admin_pb.CampaignEffect) -> EffectOut:
    if e.type == "multiplier":
        return EffectOut(type=e.type, factor=e.factor)
    if e.type == "bonus_points":
        return EffectOut(type=e.type, points=e.points)
    return EffectOut(type=e.type, template_id=e.template_id)


def reported_status(status: str, ends_at: datetime | None, now: datetime) -> str:
    """The campaign service keeps a campaign `active` or `paused` past its end (it grants
    nothing then); callers see it as `ended`."""
    if status in ("active", "paused") and ends_at is not None and ends_at <= now:
        return "ended"
    return status


def campaign_out(c: admin_pb.Campaign, locale: str) -> CampaignOut:
    d, r = c.definition, c.results
    ends_at = optional_datetime(d, "ends_at")
    texts = translations_from_pb(d.translations)
    return CampaignOut(
        campaign_id=c.campaign_id,
        status=reported_status(c.status, ends_at, datetime.now(UTC)),
        version=c.version,
        name=d.name,
        trigger=d.trigger,
        starts_at=optional_datetime(d, "starts_at"),
        ends_at=ends_at,
        conditions=_conditions_out(d.conditions),
        audience=AudienceBody(segment_id=d.conditions.segment_id)
        if d.conditions.segment_id
        else None,
        effect=_effect_out(d.effect),
        budget=BudgetBody(points=d.budget_points) if d.HasField("budget_points") else None,
        limits=LimitsBody(per_member=d.per_member_limit)
        if d.HasField("per_member_limit")
        else None,
        holdout_percent=d.holdout_percent,
        priority=d.priority,
        exclusive=d.exclusive,
        results=ResultsOut(
            members_reached=r.members_reached,
            points_granted=r.points_granted,
            budget_left=r.budget_left if r.HasField("budget_left") else None,
            grants=r.grants,
            points_reserved=r.points_reserved,
        ),
        created_at=optional_datetime(c, "created_at"),
        updated_at=optional_datetime(c, "updated_at"),
        description=d.description,
        translations=texts.by_locale(),
        localized=localized(texts, locale, d.name, d.description),
    )


def summary_out(s: pb.CampaignSummary, now: datetime, locale: str) -> CampaignSummaryOut:
    ends_at = optional_datetime(s, "ends_at")
    texts = translations_from_pb(s.translations)
    return CampaignSummaryOut(
        campaign_id=s.campaign_id,
        name=s.name,
        trigger=s.trigger,
        status=reported_status(s.status, ends_at, now),
        version=s.version,
        starts_at=optional_datetime(s, "starts_at"),
        ends_at=ends_at,
        translations=texts.by_locale(),
        localized=localized(texts, locale, s.name, ""),
    )
