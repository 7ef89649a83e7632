"""Operators draft, edit, activate and pause campaigns."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count

import pytest

from libs.errors import Conflict, FailedPrecondition, InvalidArgument, NotFound
from services.campaign.campaigns.domain.campaigns import CampaignStatus, Trigger
from services.campaign.campaigns.domain.definitions import Definition
from services.campaign.campaigns.domain.rules import (
    Conditions,
    Effect,
    EffectType,
    HourWindow,
    Limits,
)
from services.campaign.campaigns.handlers.admin import Admin
from services.campaign.tests.fakes import FakeCampaignUnitOfWork, FakeResults, FakeStore

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
SHOES = Definition(
    name="Double points on shoes",
    trigger=Trigger.PURCHASE,
    starts_at=NOW,
    ends_at=NOW + timedelta(days=6),
    conditions=Conditions(categories=frozenset({"shoes"})),
    effect=Effect(EffectType.MULTIPLIER, factor=Decimal(2)),
    limits=Limits(budget_points=100_000, per_member=3),
)


def an_admin(store: FakeStore | None = None, uow: FakeCampaignUnitOfWork | None = None) -> Admin:
    ids = count(1)
    store = store or FakeStore()
    uow = uow or FakeCampaignUnitOfWork(store)
    return Admin(store, FakeResults(), lambda: NOW, lambda: f"c{next(ids)}", uow)


async def test_a_new_campaign_is_a_draft_at_version_1_with_its_budget_untouched() -> None:
    view = await an_admin().create("t1", SHOES)
    assert (view.record.status, view.record.version) == (CampaignStatus.DRAFT, 1)
    assert view.results.budget_left == 100_000


async def test_editing_a_draft_keeps_version_1_and_editing_an_active_campaign_makes_version_2() -> (
    None
):
    admin = an_admin()
    created = await admin.create("t1", SHOES)
    cid = created.record.campaign_id
    assert (await admin.update("t1", cid, replace(SHOES, name="Shoes x2"))).record.version == 1
    await admin.activate("t1", cid)
    edited = await admin.update("t1", cid, replace(SHOES, priority=5))
    assert (edited.record.version, edited.record.status) == (2, CampaignStatus.ACTIVE)


async def test_every_version_of_a_campaign_is_kept() -> None:
    store = FakeStore()
    admin = an_admin(store)
    cid = (await admin.create("t1", SHOES)).record.campaign_id
    await admin.activate("t1", cid)
    await admin.update("t1", cid, replace(SHOES, priority=5))
    assert store.versions[(cid, 1)].definition.priority == 0
    assert store.versions[(cid, 2)].definition.priority == 5


async def test_an_active_campaign_pauses_and_a_paused_one_activates_again() -> None:
    admin = an_admin()
    cid = (await admin.create("t1", SHOES)).record.campaign_id
    await admin.activate("t1", cid)
    assert (await admin.pause("t1", cid)).record.status is CampaignStatus.PAUSED
    assert (await admin.activate("t1", cid)).record.status is CampaignStatus.ACTIVE


async def test_a_draft_cannot_be_paused() -> None:
    admin = an_admin()
    cid = (await admin.create("t1", SHOES)).record.campaign_id
    with pytest.raises(FailedPrecondition):
        await admin.pause("t1", cid)


async def test_a_campaign_whose_end_has_passed_cannot_be_activated() -> None:
    admin = an_admin()
    past = replace(SHOES, starts_at=NOW - timedelta(days=9), ends_at=NOW - timedelta(days=1))
    cid = (await admin.create("t1", past)).record.campaign_id
    with pytest.raises(FailedPrecondition, match="ends_at"):
        await admin.activate("t1", cid)


async def test_another_tenants_campaign_is_not_found() -> None:
    admin = an_admin()
    cid = (await admin.create("t1", SHOES)).record.campaign_id
    with pytest.raises(NotFound):
        await admin.get("t2", cid)
    with pytest.raises(NotFound):
        await admin.activate("t2", cid)


async def test_an_edit_that_lost_a_race_is_refused_rather_than_overwriting() -> None:
    store = FakeStore()
    admin = an_admin(store)
    cid = (await admin.create("t1", SHOES)).record.campaign_id
    stale = store.records[cid]

    async def changed_meanwhile(tenant_id: str, campaign_id: str) -> object:
        return stale

    await admin.activate("t1", cid)
    store.get = changed_meanwhile  # type: ignore[method-assign,assignment]
    with pytest.raises(Conflict):
        await admin.update("t1", cid, replace(SHOES, priority=1))


async def test_every_stored_change_announces_campaign_changed_and_a_refused_one_does_not() -> None:
    store = FakeStore()
    uow = FakeCampaignUnitOfWork(store)
    admin = an_admin(store, uow)
    cid = (await admin.create("t1", SHOES)).record.campaign_id
    await admin.activate("t1", cid)
    await admin.update("t1", cid, replace(SHOES, priority=5))
    await admin.pause("t1", cid)
    await admin.pause("t1", cid)  # already paused: nothing changes
    with pytest.raises(InvalidArgument):
        await admin.update("t1", cid, replace(SHOES, name=" "))

    announced = [(e.change.value, e.record.status.value, e.record.version) for e in uow.published]
    assert announced == [
        ("created", "draft", 1),
        ("activated", "active", 1),
        ("updated", "active", 2),
        ("paused", "paused", 2),
    ]
    assert len({e.event_id for e in uow.published}) == 4


async def test_the_trigger_of_a_campaign_cannot_change() -> None:
    admin = an_admin()
    cid = (await admin.create("t1", SHOES)).record.campaign_id
    welcome = replace(
        SHOES,
        trigger=Trigger.ENROLLMENT,
        conditions=Conditions(),
        effect=Effect(EffectType.BONUS_POINTS, points=5),
    )
    with pytest.raises(FailedPrecondition, match="trigger"):
        await admin.update("t1", cid, welcome)


@pytest.mark.parametrize(
    ("definition", "field"),
    [
        (replace(SHOES, name=" "), "name"),
        (replace(SHOES, ends_at=SHOES.starts_at), "ends_at"),
        (replace(SHOES, starts_at=datetime(2026, 11, 25)), "starts_at"),  # noqa: DTZ001
        (replace(SHOES, holdout_percent=101), "holdout_percent"),
        (replace(SHOES, limits=Limits(budget_points=0)), "budget.points"),
        (replace(SHOES, limits=Limits(per_member=0)), "limits.per_member"),
        (
            replace(SHOES, effect=Effect(EffectType.MULTIPLIER, factor=Decimal("1"))),
            "effect.factor",
        ),
        (replace(SHOES, effect=Effect(EffectType.MULTIPLIER, Decimal(2), 5)), "effect"),
        (replace(SHOES, effect=Effect(EffectType.BONUS_POINTS, points=0)), "effect.points"),
        (replace(SHOES, effect=Effect(EffectType.COUPON)), "effect.template_id"),
        (replace(SHOES, trigger=Trigger.ENROLLMENT), "effect.type"),
        (replace(SHOES, conditions=Conditions(min_total=Decimal(-1))), "conditions.min_total"),
        (
            replace(SHOES, conditions=Conditions(days_of_week=frozenset({0}))),
            "conditions.days_of_week",
        ),
        (replace(SHOES, conditions=Conditions(hours=HourWindow(3, 25))), "conditions.hours"),
        (replace(SHOES, conditions=Conditions(hours=HourWindow(3, 3))), "conditions.hours"),
        (
            replace(SHOES, conditions=Conditions(min_days_since_enrolment=-1)),
            "conditions.min_days_since_enrolment",
        ),
    ],
)
async def test_a_definition_that_cannot_run_is_refused_naming_its_field_and_stores_nothing(
    definition: Definition, field: str
) -> None:
    store = FakeStore()
    with pytest.raises(InvalidArgument, match=f"^{field}:"):
        await an_admin(store).create("t1", definition)
    assert store.records == {}
