from datetime import UTC, datetime

import pytest

from libs.clock import FakeClock
from libs.errors import FailedPrecondition, InvalidArgument
from services.member.domain.errors import MemberNotFound
from services.member.domain.members import MemberConsentsChanged, MemberMerged, MemberStatus
from services.member.domain.merging import stricter_consent
from services.member.domain.profile import Consent, ConsentPurpose
from services.member.handlers.merge import MergeMembers, merge_members
from services.member.handlers.profile import UpdateConsents, update_consents
from services.member.handlers.reads import get_member, lookup_member
from services.member.tests.fakes import FakeUnitOfWork
from services.member.tests.unit.support import (
    APP,
    CODES,
    OPERATOR,
    TENANT,
    enrolled,
    tenant_uow,
)

MARKETING = ConsentPurpose.MARKETING


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return tenant_uow()


def merging(survivor_id: str, merged_id: str, tenant: str = TENANT) -> MergeMembers:
    return MergeMembers(tenant, survivor_id, merged_id, OPERATOR)


async def two_members(uow: FakeUnitOfWork) -> tuple[str, str]:
    survivor = await enrolled(uow, ("phone", "13800000001"), name="Li Lei")
    merged = await enrolled(
        uow, ("phone", "13800000002"), ("email", "li@example.com"), birthday="1990-05-01"
    )
    return survivor, merged


async def test_the_merged_member_s_identities_find_the_survivor(uow: FakeUnitOfWork) -> None:
    survivor_id, merged_id = await two_members(uow)

    result = await merge_members(merging(survivor_id, merged_id), uow)

    assert sorted(i.value for i in result.member.identities) == [
        "+8613800000001",
        "+8613800000002",
        "li@example.com",
    ]
    for kind, value in (("phone", "13800000002"), ("email", "li@example.com")):
        found = await lookup_member(TENANT, kind, value, uow, codes=CODES)
        assert found.member.member_id == survivor_id


async def test_the_merged_member_answers_merged_into_the_survivor(uow: FakeUnitOfWork) -> None:
    survivor_id, merged_id = await two_members(uow)

    await merge_members(merging(survivor_id, merged_id), uow)

    merged = (await get_member(TENANT, merged_id, uow)).member
    assert (merged.status, merged.merged_into) == (MemberStatus.MERGED, survivor_id)
    assert merged.identities == []


async def test_the_survivor_keeps_its_profile_and_fills_only_what_it_lacks(
    uow: FakeUnitOfWork,
) -> None:
    survivor_id = await enrolled(uow, ("phone", "13800000001"), name="Li Lei")
    merged_id = await enrolled(uow, ("phone", "13800000002"), name="Lei", birthday="1990-05-01")

    result = await merge_members(merging(survivor_id, merged_id), uow)

    profile = result.member.profile
    assert (profile.name, str(profile.birthday)) == ("Li Lei", "1990-05-01")


async def test_a_refusal_of_consent_beats_a_grant_whichever_member_gave_it(
    uow: FakeUnitOfWork,
) -> None:
    survivor_id, merged_id = await two_members(uow)
    refusal = UpdateConsents(TENANT, merged_id, {"marketing": False}, "app", "settings", APP)
    await update_consents(refusal, uow)

    result = await merge_members(merging(survivor_id, merged_id), uow)

    consent = result.member.consents[MARKETING]
    assert (consent.granted, consent.channel, consent.source) == (False, "app", "settings")
    change = uow.state.consents[-1]
    assert (change.member_id, change.granted, change.source) == (survivor_id, False, "merge")
    announced = uow.published[-2]
    assert isinstance(announced, MemberConsentsChanged)
    assert (announced.member_id, announced.consents["marketing"]) == (survivor_id, False)


def test_between_two_grants_the_most_recent_change_is_kept() -> None:
    older = Consent(MARKETING, True, "pos", "enrolment", datetime(2025, 1, 1, tzinfo=UTC))
    newer = Consent(MARKETING, True, "app", "settings", datetime(2026, 1, 1, tzinfo=UTC))
    refusal = Consent(MARKETING, False, "pos", "paper", datetime(2024, 1, 1, tzinfo=UTC))

    assert stricter_consent(older, newer) == newer
    assert stricter_consent(newer, None) == newer
    assert stricter_consent(newer, refusal) == refusal


async def test_merging_the_same_pair_again_answers_the_same_and_publishes_nothing_more(
    uow: FakeUnitOfWork,
) -> None:
    survivor_id, merged_id = await two_members(uow)
    first = await merge_members(merging(survivor_id, merged_id), uow)
    published = list(uow.published)

    again = await merge_members(merging(survivor_id, merged_id), uow)

    assert (first.merged, again.merged) == (True, False)
    assert again.member == first.member
    assert uow.published == published
    merges = [e for e in published if isinstance(e, MemberMerged)]
    assert [(e.survivor_id, e.merged_id) for e in merges] == [(survivor_id, merged_id)]


async def test_a_member_merged_away_cannot_be_merged_into_a_third(uow: FakeUnitOfWork) -> None:
    survivor_id, merged_id = await two_members(uow)
    third = await enrolled(uow, ("phone", "13800000003"))
    await merge_members(merging(survivor_id, merged_id), uow)

    with pytest.raises(FailedPrecondition) as merged_again:
        await merge_members(merging(third, merged_id), uow)
    with pytest.raises(FailedPrecondition) as into_merged:
        await merge_members(merging(merged_id, third), uow)

    assert merged_again.value.code == "already_merged"
    assert into_merged.value.code == "already_merged"


async def test_a_member_cannot_be_merged_into_itself_nor_with_one_unknown_to_the_tenant(
    uow: FakeUnitOfWork,
) -> None:
    survivor_id, merged_id = await two_members(uow)

    with pytest.raises(InvalidArgument) as itself:
        await merge_members(merging(survivor_id, survivor_id), uow)
    with pytest.raises(MemberNotFound):
        await merge_members(merging(survivor_id, "m_nobody"), uow)
    with pytest.raises(MemberNotFound):
        await merge_members(merging(survivor_id, merged_id, tenant="other"), uow)

    assert itself.value.code == "merge_same_member"
    assert not any(isinstance(e, MemberMerged) for e in uow.published)


async def test_a_merge_is_in_the_audit_trail_of_both_members(uow: FakeUnitOfWork) -> None:
    survivor_id, merged_id = await two_members(uow)

    await merge_members(merging(survivor_id, merged_id), uow, clock=FakeClock())

    actions = {(a.member_id, a.action): a for a in uow.state.audit}
    gained = actions[(survivor_id, "member.merged_in")]
    lost = actions[(merged_id, "member.merged_into")]
    assert gained.fields[:3] == ("identities.email", "identities.phone", "profile.birthday")
    assert "identities.phone" in lost.fields
    assert gained.actor == OPERATOR
    assert "+8613800000002" not in str(uow.state.audit)
