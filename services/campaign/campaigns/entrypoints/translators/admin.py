"""Campaign definitions and records between protobuf and the domain."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from libs.errors import InvalidArgument
from libs.languages_wire import fill_translations, translations_from_pb
from libs.timestamps import optional_datetime, optional_timestamp
from loyalty.campaign.v1 import campaign_admin_pb2 as pb
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.definitions import Definition
from services.campaign.campaigns.domain.results import CampaignResults
from services.campaign.campaigns.domain.rules import (
    Conditions,
    Effect,
    EffectType,
    HourWindow,
    Limits,
)
from services.campaign.campaigns.handlers.admin import CampaignView


def _decimal(raw: str, name: str) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidArgument(f"{name}: a decimal number such as 100.00") from None
    if not value.is_finite():
        raise InvalidArgument(f"{name}: a decimal number such as 100.00")
    return value


def _trigger(raw: str) -> Trigger:
    try:
        return Trigger(raw)
    except ValueError:
        raise InvalidArgument(f"trigger: one of {', '.join(Trigger)}") from None


def _effect_type(raw: str) -> EffectType:
    try:
        return EffectType(raw)
    except ValueError:
        raise InvalidArgument(f"effect.type: one of {', '.join(EffectType)}") from None


def conditions_from(c: pb.CampaignConditions) -> Conditions:
    return Conditions(
        channels=frozenset(c.channels),
        store_ids=frozenset(c.store_ids),
        categories=frozenset(c.categories),
        skus=frozenset(c.skus),
        min_total=_decimal(c.min_total, "conditions.min_total") if c.min_total else None,
        tiers=frozenset(c.tiers),
        min_days_since_enrolment=(
            c.min_days_since_enrolment if c.HasField("min_days_since_enrolment") else None
        ),
        in_birthday_month=c.in_birthday_month,
        days_of_week=frozenset(c.days_of_week),
        hours=HourWindow(c.hours.start, c.hours.end) if c.HasField("hours") else None,
        first_purchase_only=c.first_purchase_only,
        segment_id=c.segment_id,
        inactive_days=c.inactive_days if c.HasField("inactive_days") else None,
    )


def effect_from(e: pb.CampaignEffect) -> Effect:
    kind = _effect_type(e.type)
    factor = _decimal(e.factor, "effect.factor") if e.factor else Decimal(1)
    return Effect(kind, factor, e.points, e.template_id)


def definition_from(d: pb.CampaignDefinition) -> Definition:
    if not d.HasField("effect"):
        raise InvalidArgument("effect: required")
    return Definition(
        name=d.name,
        trigger=_trigger(d.trigger),
        starts_at=optional_datetime(d, "starts_at"),
        ends_at=optional_datetime(d, "ends_at"),
        conditions=conditions_from(d.conditions),
        effect=effect_from(d.effect),
        limits=Limits(
            d.budget_points if d.HasField("budget_points") else None,
            d.per_member_limit if d.HasField("per_member_limit") else None,
        ),
        holdout_percent=d.holdout_percent,
        priority=d.priority,
        exclusive=d.exclusive,
        description=d.description,
        translations=translations_from_pb(d.translations),
    )


def _conditions_message(c: Conditions) -> pb.CampaignConditions:
    return pb.CampaignConditions(
        channels=sorted(c.channels),
        store_ids=sorted(c.store_ids),
        categories=sorted(c.categories),
        skus=sorted(c.skus),
        min_total="" if c.min_total is None else str(c.min_total),
        tiers=sorted(c.tiers),
        min_days_since_enrolment=c.min_days_since_enrolment,
        in_birthday_month=c.in_birthday_month,
        days_of_week=sorted(c.days_of_week),
        hours=None if c.hours is None else pb.HourWindow(start=c.hours.start, end=c.hours.end),
        first_purchase_only=c.first_purchase_only,
        segment_id=c.segment_id,
        inactive_days=c.inactive_days,
    )


def definition_message(d: Definition) -> pb.CampaignDefinition:
    message = _definition_message(d)
    fill_translations(message.translations, d.translations)
    return message


def _definition_message(d: Definition) -> pb.CampaignDefinition:
    e = d.effect
    return pb.CampaignDefinition(
        name=d.name,
        trigger=d.trigger.value,
        starts_at=optional_timestamp(d.starts_at),
        ends_at=optional_timestamp(d.ends_at),
        conditions=_conditions_message(d.conditions),
        effect=pb.CampaignEffect(
            type=e.type.value,
            factor=str(e.factor) if e.type is EffectType.MULTIPLIER else "",
            points=e.points,
            template_id=e.template_id,
        ),
        budget_points=d.limits.budget_points,
        per_member_limit=d.limits.per_member,
        holdout_percent=d.holdout_percent,
        priority=d.priority,
        exclusive=d.exclusive,
        description=d.description,
    )


def _results_message(r: CampaignResults) -> pb.CampaignResults:
    return pb.CampaignResults(
        members_reached=r.members_reached,
        points_granted=r.points_granted,
        budget_left=r.budget_left,
        grants=r.grants,
        points_reserved=r.points_reserved,
    )


def campaign_message(view: CampaignView) -> pb.Campaign:
    r = view.record
    return pb.Campaign(
        campaign_id=r.campaign_id,
        status=r.status.value,
        version=r.version,
        definition=definition_message(r.definition),
        results=_results_message(view.results),
        created_at=optional_timestamp(r.created_at),
        updated_at=optional_timestamp(r.updated_at),
    )
