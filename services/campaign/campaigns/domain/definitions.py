"""A campaign as an operator defines it, and the checks that refuse a definition that
could not run as written (each naming the field at fault)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from libs.errors import InvalidArgument
from libs.languages import Translations
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.rules import Conditions, Effect, EffectType, Limits
from services.campaign.campaigns.domain.triggered import unsupported_conditions

MAX_NAME = 200
MAX_DESCRIPTION = 2000
TRANSLATED = ("name", "description")


@dataclass(frozen=True)
class Definition:
    name: str
    trigger: Trigger
    starts_at: datetime | None
    ends_at: datetime | None
    conditions: Conditions
    effect: Effect
    limits: Limits = field(default_factory=Limits)
    holdout_percent: int = 0
    priority: int = 0
    exclusive: bool = False
    description: str = ""
    # name and description in other languages than the tenant's default
    translations: Translations = field(default_factory=Translations)


def _check(failed: bool, message: str) -> None:
    if failed:
        raise InvalidArgument(message)


def _check_effect(effect: Effect) -> None:
    if effect.type is EffectType.MULTIPLIER:
        _check(not effect.factor.is_finite(), "effect.factor: a decimal number")
        _check(effect.factor <= 1, "effect.factor: must be more than 1")
        _check(effect.factor > 100, "effect.factor: at most 100")
        _check(bool(effect.points or effect.template_id), "effect: multiplier takes only factor")
    elif effect.type is EffectType.BONUS_POINTS:
        _check(effect.points <= 0, "effect.points: must be a positive whole number")
        _check(
            effect.factor != 1 or bool(effect.template_id), "effect: bonus_points takes only points"
        )
    else:
        _check(not effect.template_id, "effect.template_id: required for a coupon")
        _check(effect.factor != 1 or effect.points != 0, "effect: coupon takes only template_id")


def _check_conditions(c: Conditions) -> None:
    _check(
        c.min_total is not None and (not c.min_total.is_finite() or c.min_total < 0),
        "conditions.min_total: a decimal amount of 0 or more",
    )
    _check(
        c.min_days_since_enrolment is not None and c.min_days_since_enrolment < 0,
        "conditions.min_days_since_enrolment: 0 or more",
    )
    _check(
        any(day < 1 or day > 7 for day in c.days_of_week),
        "conditions.days_of_week: ISO weekdays from 1 (Monday) to 7 (Sunday)",
    )
    hours = c.hours
    _check(
        hours is not None and not (0 <= hours.start <= 23 and 0 <= hours.end <= 24),
        "conditions.hours: start from 0 to 23, end from 0 to 24",
    )
    _check(hours is not None and hours.start == hours.end, "conditions.hours: an empty window")


def _check_inactivity(trigger: Trigger, days: int | None) -> None:
    inactivity = trigger is Trigger.INACTIVITY
    _check(inactivity and days is None, "conditions.inactive_days: required for inactivity")
    _check(not inactivity and days is not None, "conditions.inactive_days: inactivity only")
    _check(days is not None and not 1 <= days <= 3660, "conditions.inactive_days: 1 to 3660")


def _check_texts(d: Definition) -> None:
    _check(not d.name.strip(), "name: required")
    _check(len(d.name) > MAX_NAME, f"name: at most {MAX_NAME} characters")
    _check(len(d.description) > MAX_DESCRIPTION, f"description: at most {MAX_DESCRIPTION}")
    for problem in d.translations.problems(TRANSLATED):
        raise InvalidArgument(problem)
    for locale, name in d.translations.by_locale().items():
        _check(len(name.get("name", "")) > MAX_NAME, f"translations.{locale}.name: too long")


def validate(d: Definition) -> Definition:
    _check_texts(d)
    for stamp, name in ((d.starts_at, "starts_at"), (d.ends_at, "ends_at")):
        _check(stamp is not None and stamp.tzinfo is None, f"{name}: needs a time zone offset")
    _check(
        d.starts_at is not None and d.ends_at is not None and d.ends_at <= d.starts_at,
        "ends_at: must be after starts_at",
    )
    _check(not 0 <= d.holdout_percent <= 100, "holdout_percent: from 0 to 100")
    budget, per_member = d.limits.budget_points, d.limits.per_member
    _check(budget is not None and budget <= 0, "budget.points: must be a positive whole number")
    _check(per_member is not None and per_member <= 0, "limits.per_member: must be 1 or more")
    _check(
        d.trigger is not Trigger.PURCHASE and d.effect.type is EffectType.MULTIPLIER,
        "effect.type: a multiplier needs a purchase trigger",
    )
    _check_conditions(d.conditions)
    _check_inactivity(d.trigger, d.conditions.inactive_days)
    for name in unsupported_conditions(d.trigger, d.conditions):
        raise InvalidArgument(f"conditions.{name}: not checkable on a {d.trigger} trigger")
    _check_effect(d.effect)
    return d
