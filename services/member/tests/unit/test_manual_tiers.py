from datetime import timedelta
from decimal import Decimal

import pytest

from libs.clock import FakeClock
from libs.errors import FailedPrecondition, InvalidArgument
from services.member.domain.actors import SYSTEM
from services.member.domain.members import MemberTierChanged
from services.member.handlers.privacy import erase_member, export_member
from services.member.handlers.reads import get_member
from services.member.handlers.tiers import SetManualTier, expire_manual_tiers, set_member_tier
from services.member.tests.fakes import FakeUnitOfWork
from services.member.tests.unit.support import OPERATOR, TENANT, enrolled, tenant_uow


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return tenant_uow()


def manual(member_id: str, clock: FakeClock, days: int = 30, tier: str = "gold") -> SetManualTier:
    return SetManualTier(
        TENANT, member_id, tier, "service recovery", clock.now + timedelta(days=days), OPERATOR
    )


def tier_events(uow: FakeUnitOfWork) -> list[tuple[str, str, str]]:
    return [
        (e.from_tier, e.to_tier, e.reason)
        for e in uow.published
        if isinstance(e, MemberTierChanged)
    ]


async def test_an_operator_s_manual_tier_is_kept_in_history_and_announced(
    uow: FakeUnitOfWork,
) -> None:
    clock = FakeClock()
    member_id = await enrolled(uow)

    view = await set_member_tier(manual(member_id, clock), uow, clock)

    assert view.member.tier is not None
    assert (view.member.tier.code, view.tier_multiplier) == ("gold", Decimal("1.5"))
    assert tier_events(uow) == [("member", "gold", "manual")]
    history = (await export_member(TENANT, member_id, OPERATOR, uow)).history
    assert [(t.to_code, t.reason, t.note) for t in history.tiers] == [
        ("member", "enrolment", ""),
        ("gold", "manual", "service recovery"),
    ]
    assert history.audit[-2].action == "tier.manual"


async def test_the_job_reverts_an_expired_manual_tier_once_even_when_run_twice(
    uow: FakeUnitOfWork,
) -> None:
    clock = FakeClock()
    member_id = await enrolled(uow)
    await set_member_tier(manual(member_id, clock, days=1), uow, clock)

    early = await expire_manual_tiers(uow, clock)
    clock.advance(days=1)
    reverted = await expire_manual_tiers(uow, clock)
    again = await expire_manual_tiers(uow, clock)

    assert (early, reverted, again) == (0, 1, 0)
    tier = (await get_member(TENANT, member_id, uow)).member.tier
    assert tier is not None
    assert (tier.code, tier.manual) == ("member", None)
    assert tier_events(uow) == [("member", "gold", "manual"), ("gold", "member", "manual_expired")]
    assert uow.state.tiers[-1].actor == SYSTEM


async def test_a_manual_tier_for_an_unknown_tier_or_without_a_program_is_refused(
    uow: FakeUnitOfWork,
) -> None:
    clock = FakeClock()
    member_id = await enrolled(uow)
    with pytest.raises(InvalidArgument, match="tier"):
        await set_member_tier(manual(member_id, clock, tier="diamond"), uow, clock)
    uow.state.programs.clear()
    with pytest.raises(FailedPrecondition, match="no tier program"):
        await set_member_tier(manual(member_id, clock), uow, clock)
    assert tier_events(uow) == []


async def test_erasure_keeps_a_manual_tier_and_forgets_the_operator_s_reason(
    uow: FakeUnitOfWork,
) -> None:
    clock = FakeClock()
    member_id = await enrolled(uow)
    await set_member_tier(manual(member_id, clock), uow, clock)

    await erase_member(TENANT, member_id, OPERATOR, uow, clock)

    view = await get_member(TENANT, member_id, uow)
    assert view.member.tier is not None
    assert view.member.tier.manual is not None
    assert (view.member.tier.code, view.member.tier.manual.reason) == ("gold", "")
