"""Who a purchase is for: the active member by id, identity or code, merges followed."""

from dataclasses import replace
from decimal import Decimal

import pytest

from libs.errors import FailedPrecondition
from libs.languages import Translations
from services.member.domain.errors import MemberNotFound
from services.member.handlers.merge import MergeMembers, merge_members
from services.member.handlers.privacy import erase_member
from services.member.handlers.reads import issue_member_code
from services.member.handlers.resolution import MemberReference, resolve_member
from services.member.tests.fakes import FakeUnitOfWork
from services.member.tests.unit.support import (
    CODES,
    OPERATOR,
    PROGRAM,
    TENANT,
    enrolled,
    tenant_uow,
)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return tenant_uow()


async def resolved(uow: FakeUnitOfWork, reference: MemberReference) -> str:
    return (await resolve_member(TENANT, reference, uow, codes=CODES)).holder.member_id


async def merged(uow: FakeUnitOfWork, survivor_id: str, merged_id: str) -> None:
    await merge_members(MergeMembers(TENANT, survivor_id, merged_id, OPERATOR), uow)


async def test_an_active_member_is_found_by_id_identity_and_code(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow, ("phone", "13800000001"))
    code, _ = await issue_member_code(TENANT, member_id, uow, CODES)

    found = {
        await resolved(uow, MemberReference(member_id=member_id)),
        await resolved(uow, MemberReference(identity_type="phone", identity_value="13800000001")),
        await resolved(uow, MemberReference(identity_type="code", identity_value=code)),
    }

    assert found == {member_id}


async def test_a_merged_member_s_id_resolves_to_the_survivor(uow: FakeUnitOfWork) -> None:
    survivor_id = await enrolled(uow, ("phone", "13800000001"))
    merged_id = await enrolled(uow, ("phone", "13800000002"))
    await merged(uow, survivor_id, merged_id)

    assert await resolved(uow, MemberReference(member_id=merged_id)) == survivor_id


async def test_a_chain_of_merges_is_followed_to_its_end(uow: FakeUnitOfWork) -> None:
    first = await enrolled(uow, ("phone", "13800000001"))
    second = await enrolled(uow, ("phone", "13800000002"))
    third = await enrolled(uow, ("phone", "13800000003"))
    await merged(uow, second, first)
    await merged(uow, third, second)

    assert await resolved(uow, MemberReference(member_id=first)) == third


async def test_an_erased_member_acts_for_nobody(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow, ("phone", "13800000001"))
    await erase_member(TENANT, member_id, OPERATOR, uow)

    with pytest.raises(FailedPrecondition) as refused:
        await resolved(uow, MemberReference(member_id=member_id))

    assert refused.value.code == "member_not_active"


async def test_nobody_by_that_id_is_not_found(uow: FakeUnitOfWork) -> None:
    with pytest.raises(MemberNotFound):
        await resolved(uow, MemberReference(member_id="mem_nobody"))


async def test_the_resolved_member_knows_its_birth_month(
    uow: FakeUnitOfWork,
) -> None:
    member_id = await enrolled(uow, ("phone", "13800000001"), birthday="1990-05-17")

    view = await resolve_member(TENANT, MemberReference(member_id=member_id), uow, codes=CODES)

    assert view.holder.birth_month == 5


async def test_the_resolved_member_knows_its_tiers_multiplier_and_its_name_in_other_languages(
    uow: FakeUnitOfWork,
) -> None:
    entry = replace(PROGRAM.tiers[0], translations=Translations.of({"zh-CN": {"name": "普通会员"}}))
    uow.state.programs[TENANT] = replace(PROGRAM, tiers=(entry, *PROGRAM.tiers[1:]))
    member_id = await enrolled(uow, ("phone", "13800000001"))

    by_id = await resolve_member(TENANT, MemberReference(member_id=member_id), uow, codes=CODES)
    by_phone = await resolve_member(
        TENANT,
        MemberReference(identity_type="phone", identity_value="13800000001"),
        uow,
        codes=CODES,
    )

    assert by_id == by_phone
    assert (by_id.tier_multiplier, by_id.tier_names) == (Decimal(1), (("zh-CN", "普通会员"),))
