"""The daily birthday job: the tenant's local day, once per member per year."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

import pytest

from services.campaign.campaigns.domain.birthdays import BirthdayPage, BirthdayRun, birthdays_on
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.grants import GrantedPoints, PointsGrant
from services.campaign.campaigns.domain.rules import Campaign, Conditions, Effect, EffectType
from services.campaign.campaigns.handlers.birthdays import BirthdayJob
from services.campaign.tests.reward_fakes import FakePoints, RewardWorld

# 16:30 UTC on 30 April is already 1 May in Shanghai.
NOW = datetime(2026, 4, 30, 16, 30, tzinfo=UTC)
BIRTHDAY = Campaign(
    "c-bday",
    "Birthday bonus",
    2,
    NOW - timedelta(days=30),
    None,
    Conditions(),
    Effect(EffectType.BONUS_POINTS, points=50),
)


@dataclass
class FakeDirectory:
    # (month, day) -> member ids born then, and those among them who consent
    born: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    consenting: set[str] = field(default_factory=set)
    page_size: int = 2
    asked: list[tuple[int, int, bool]] = field(default_factory=list)

    async def time_zone(self, tenant_id: str) -> str:
        return "Asia/Shanghai"

    async def born_on(
        self, tenant_id: str, month: int, day: int, *, consenting: bool, cursor: str
    ) -> BirthdayPage:
        self.asked.append((month, day, consenting))
        ids = sorted(
            m
            for m in self.born.get((month, day), [])
            if m > cursor and (not consenting or m in self.consenting)
        )
        page = ids[: self.page_size]
        return BirthdayPage(page, page[-1] if len(ids) > self.page_size else "")


@dataclass
class FakeRuns:
    """Runs by tenant, campaign and day; a run let go may be claimed again."""

    runs: dict[tuple[str, str, date], tuple[str, BirthdayRun]] = field(default_factory=dict)

    async def claim(self, run: BirthdayRun, owner: str) -> BirthdayRun | None:
        key = (run.tenant_id, run.campaign_id, run.day)
        state, stored = self.runs.get(key, ("free", run))
        if state != "free":
            return None
        self.runs[key] = (owner, stored)
        return stored

    async def progress(self, run: BirthdayRun, owner: str) -> bool:
        key = (run.tenant_id, run.campaign_id, run.day)
        self.runs[key] = (owner, run)
        return True

    async def finish(self, run: BirthdayRun, owner: str, *, done: bool) -> None:
        key = (run.tenant_id, run.campaign_id, run.day)
        self.runs[key] = ("done" if done else "free", self.runs[key][1])


class Active:
    def __init__(self, *campaigns: Campaign) -> None:
        self._campaigns = campaigns

    async def active_campaigns(self, tenant_id: str, trigger: Trigger) -> list[Campaign]:
        return list(self._campaigns) if trigger is Trigger.BIRTHDAY else []


def a_job(
    world: RewardWorld, directory: FakeDirectory, runs: FakeRuns, *campaigns: Campaign
) -> BirthdayJob:
    async def tenants() -> list[str]:
        return ["demo"]

    return BirthdayJob(
        tenants,
        Active(*campaigns or (BIRTHDAY,)),
        directory,
        runs,
        world.granter(),
        lambda: NOW,
        "r1",
    )


def test_members_born_on_29_february_are_celebrated_on_the_28th_in_other_years() -> None:
    assert birthdays_on(date(2027, 2, 28)) == [(2, 28), (2, 29)]
    assert birthdays_on(date(2028, 2, 28)) == [(2, 28)]
    assert birthdays_on(date(2028, 2, 29)) == [(2, 29)]


async def test_the_job_rewards_the_birthdays_of_the_tenants_local_day_once_per_year() -> None:
    world, runs = RewardWorld(), FakeRuns()
    directory = FakeDirectory(born={(5, 1): ["m1", "m2", "m3"], (4, 30): ["m9"]})

    first = await a_job(world, directory, runs)()
    again = await a_job(world, directory, runs)()

    assert (first, again) == (3, 0)
    assert sorted(world.points.paid) == [f"c-bday:m{i}:2026" for i in (1, 2, 3)]


async def test_a_run_done_on_another_replica_is_not_run_again_even_by_a_new_version() -> None:
    world, runs = RewardWorld(), FakeRuns()
    directory = FakeDirectory(born={(5, 1): ["m1"]})
    await a_job(world, directory, runs)()
    runs.runs.clear()  # as if the run record were lost: the per-year hold still holds

    await a_job(world, directory, runs, replace(BIRTHDAY, version=3))()

    assert list(world.points.paid) == ["c-bday:m1:2026"]


async def test_a_coupon_birthday_lists_only_members_who_consent_to_marketing() -> None:
    coupon = replace(BIRTHDAY, effect=Effect(EffectType.COUPON, template_id="t-cake"))
    world, runs = RewardWorld(), FakeRuns()
    directory = FakeDirectory(born={(5, 1): ["m1", "m2"]}, consenting={"m2"})

    assert await a_job(world, directory, runs, coupon)() == 1

    assert directory.asked == [(5, 1, True)]
    assert list(world.coupons.issued) == ["c-bday:m2:2026"]


@dataclass
class FailOnce:
    """The points service, away for one member's grant the first time."""

    member_id: str
    points: FakePoints
    failed: bool = False

    async def grant(self, grant: PointsGrant) -> GrantedPoints:
        if grant.member_id == self.member_id and not self.failed:
            self.failed = True
            raise ConnectionError("points service away")
        return await self.points.grant(grant)


async def test_a_run_that_failed_halfway_resumes_where_it_stood_and_pays_each_member_once() -> None:
    world, runs = RewardWorld(), FakeRuns()
    directory = FakeDirectory(born={(5, 1): ["m1", "m2", "m3", "m4"]})
    job = a_job(world, directory, runs)
    job = replace(job, granter=replace(job.granter, points=FailOnce("m3", world.points)))

    with pytest.raises(ConnectionError):
        await job()
    assert await job() == 2  # m3 again, and m4

    assert sorted(g.member_id for g in world.points.paid.values()) == ["m1", "m2", "m3", "m4"]
    assert directory.asked.count((5, 1, False)) == 3  # page 1, page 2, page 2 again
