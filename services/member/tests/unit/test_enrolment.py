from decimal import Decimal

import pytest

from libs.errors import InvalidArgument
from services.member.domain.errors import MemberNotFound
from services.member.domain.members import MemberEnrolled
from services.member.domain.tenants import TenantSettings
from services.member.domain.tiers import Tier, TierProgram
from services.member.handlers.enrolment import EnrolMember, enrol_member
from services.member.handlers.reads import get_member, lookup_member
from services.member.tests.fakes import FakeUnitOfWork
from services.member.tests.unit.support import CODES

TENANT = "demo"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.state.settings[TENANT] = TenantSettings("CN", "Asia/Shanghai")
    fake.state.programs[TENANT] = TierProgram(
        (Tier("member", "Member", 0, Decimal(1)), Tier("gold", "Gold", 5000, Decimal("1.5"))),
        "points_earned",
        365,
        30,
    )
    return fake


def command(*identities: tuple[str, str], tenant: str = TENANT) -> EnrolMember:
    return EnrolMember(
        tenant_id=tenant, channel="pos", store_id="S001", identities=list(identities)
    )


async def test_a_new_shopper_is_enrolled_in_the_entry_tier_and_announced(
    uow: FakeUnitOfWork,
) -> None:
    result = await enrol_member(command(("phone", "13800000001")), uow)
    assert result.created
    assert result.member.tier is not None
    assert result.member.tier.code == "member"
    assert len(uow.published) == 1
    event = uow.published[0]
    assert isinstance(event, MemberEnrolled)
    assert event.member_id == result.member.member_id
    assert event.identity_types == ("phone",)


async def test_a_second_enrolment_with_the_same_phone_finds_the_first_member(
    uow: FakeUnitOfWork,
) -> None:
    first = await enrol_member(command(("phone", "13800000001")), uow)
    second = await enrol_member(command(("phone", "+86 138 0000 0001")), uow)
    assert not second.created
    assert second.member.member_id == first.member.member_id
    assert len(uow.published) == 1


async def test_finding_a_member_links_the_other_identities_that_are_free(
    uow: FakeUnitOfWork,
) -> None:
    first = await enrol_member(command(("phone", "13800000001")), uow)
    found = await enrol_member(command(("phone", "13800000001"), ("wechat_unionid", "oU_1")), uow)
    assert found.member.member_id == first.member.member_id
    looked_up = await lookup_member(TENANT, "wechat_unionid", "oU_1", uow, codes=CODES)
    assert looked_up.member.member_id == first.member.member_id


async def test_an_identity_held_by_another_member_is_not_moved(uow: FakeUnitOfWork) -> None:
    alice = await enrol_member(command(("phone", "13800000001")), uow)
    bob = await enrol_member(command(("email", "bob@example.com")), uow)
    found = await enrol_member(command(("phone", "13800000001"), ("email", "bob@example.com")), uow)
    assert found.member.member_id == alice.member.member_id
    holder = await lookup_member(TENANT, "email", "bob@example.com", uow, codes=CODES)
    assert holder.member.member_id == bob.member.member_id


async def test_bad_input_changes_nothing(uow: FakeUnitOfWork) -> None:
    with pytest.raises(InvalidArgument):
        await enrol_member(command(("phone", "13800000001"), ("email", "nope")), uow)
    assert uow.state.members == {}
    assert uow.state.identities == {}
    assert uow.published == []


async def test_the_same_phone_in_two_tenants_is_two_members(uow: FakeUnitOfWork) -> None:
    uow.state.settings["sandbox"] = TenantSettings("CN", "Asia/Shanghai")
    demo = await enrol_member(command(("phone", "13800000001")), uow)
    sandbox = await enrol_member(command(("phone", "13800000001"), tenant="sandbox"), uow)
    assert sandbox.created
    assert sandbox.member.member_id != demo.member.member_id


async def test_a_member_of_another_tenant_is_not_found(uow: FakeUnitOfWork) -> None:
    demo = await enrol_member(command(("phone", "13800000001")), uow)
    with pytest.raises(MemberNotFound):
        await get_member("sandbox", demo.member.member_id, uow)


async def test_a_member_is_read_with_the_multiplier_of_their_tier(uow: FakeUnitOfWork) -> None:
    enrolled = await enrol_member(command(("phone", "13800000001")), uow)
    view = await get_member(TENANT, enrolled.member.member_id, uow)
    assert view.tier_multiplier == Decimal(1)
