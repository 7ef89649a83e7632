"""Campaign definitions survive the trip through protobuf unchanged."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from libs.errors import InvalidArgument
from libs.languages import Translations
from loyalty.campaign.v1 import campaign_admin_pb2 as pb
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.definitions import Definition, validate
from services.campaign.campaigns.domain.rules import (
    Conditions,
    Effect,
    EffectType,
    HourWindow,
    Limits,
)
from services.campaign.campaigns.entrypoints.translators.admin import (
    definition_from,
    definition_message,
)

AT = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
FULL = Definition(
    name="Weekend nights",
    trigger=Trigger.PURCHASE,
    starts_at=AT,
    ends_at=AT + timedelta(days=7),
    conditions=Conditions(
        channels=frozenset({"pos", "app"}),
        store_ids=frozenset({"S001"}),
        categories=frozenset({"shoes"}),
        skus=frozenset({"SHOE-1"}),
        min_total=Decimal("100.00"),
        tiers=frozenset({"gold"}),
        min_days_since_enrolment=0,
        in_birthday_month=True,
        days_of_week=frozenset({6, 7}),
        hours=HourWindow(22, 2),
        first_purchase_only=True,
    ),
    effect=Effect(EffectType.MULTIPLIER, factor=Decimal("1.5")),
    limits=Limits(budget_points=1000, per_member=3),
    holdout_percent=10,
    priority=-2,
    exclusive=True,
)


@pytest.mark.parametrize(
    "definition",
    [
        FULL,
        replace(FULL, conditions=Conditions(), limits=Limits(), starts_at=None, ends_at=None),
        replace(FULL, effect=Effect(EffectType.BONUS_POINTS, points=50)),
        replace(FULL, effect=Effect(EffectType.COUPON, template_id="t-10")),
        replace(
            FULL,
            description="Late evenings at the weekend",
            translations=Translations.of({"zh-CN": {"name": "周末夜", "description": "周末晚上"}}),
        ),
    ],
)
def test_a_definition_reads_back_as_it_was_written(definition: Definition) -> None:
    assert definition_from(definition_message(definition)) == definition


def test_a_message_with_an_unknown_trigger_or_a_bad_decimal_names_the_field() -> None:
    message = definition_message(FULL)
    message.trigger = "sunrise"
    with pytest.raises(InvalidArgument, match=r"^trigger:"):
        definition_from(message)
    message = definition_message(FULL)
    message.conditions.min_total = "lots"
    with pytest.raises(InvalidArgument, match=r"^conditions\.min_total:"):
        definition_from(message)
    with pytest.raises(InvalidArgument, match=r"^effect:"):
        definition_from(pb.CampaignDefinition(name="x", trigger="purchase"))


@pytest.mark.parametrize(
    ("translations", "field"),
    [
        ({"zh CN": {"name": "周末夜"}}, r"translations\.zh CN:"),
        ({"zh-CN": {"colour": "红"}}, r"translations\.zh-CN\.colour:"),
        ({"zh-CN": {"name": "长" * 201}}, r"translations\.zh-CN\.name:"),
    ],
)
def test_a_translation_the_service_cannot_keep_is_refused_naming_its_field(
    translations: dict[str, dict[str, str]], field: str
) -> None:
    with pytest.raises(InvalidArgument, match=f"^{field}"):
        validate(replace(FULL, translations=Translations.of(translations)))
